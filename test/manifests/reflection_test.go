package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"testing"
)

// TestGRPCReflectionOnlyInDevelopment loads each Go service's configuration
// from its serving container's environment, as the binary does: gRPC
// server reflection (GRPC_REFLECTION) is on in development, for grpcurl and
// Postman, and off in staging and production, where it would describe
// the whole API to anyone who reaches the port.
func TestGRPCReflectionOnlyInDevelopment(t *testing.T) {
	for _, overlay := range Overlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			want := overlay == "development"
			checked := 0
			for _, w := range manifestcheck.OfKind(objs, "Deployment") {
				svc, ok := goServices[w.Str("metadata", "labels", "app.kubernetes.io/name")]
				if !ok {
					continue
				}
				for _, c := range w.Containers() {
					if args := c.List("args"); len(args) == 0 || args[0] != "serve" {
						continue
					}
					env, err := manifestcheck.ContainerEnv(objs, w.Namespace(), c)
					if err != nil {
						t.Fatalf("%s: %v", w.ID(), err)
					}
					common, err := svc.load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
					if err != nil {
						t.Fatalf("%s: configuration refused: %v", w.ID(), err)
					}
					checked++
					if common.Server.Reflection != want {
						t.Errorf("%s: gRPC reflection %v, want %v in %s", w.ID(), common.Server.Reflection, want, overlay)
					}
				}
			}
			if checked != len(goServices) {
				t.Fatalf("checked %d serving containers, want one per Go service (%d)", checked, len(goServices))
			}
		})
	}
}
