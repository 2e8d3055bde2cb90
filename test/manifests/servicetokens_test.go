package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"path"
	"slices"
	"strings"
	"testing"
)

// mountedSecret names the Secret whose volume is mounted, in container c of
// workload w, at the directory of file ("" if none).
func mountedSecret(w, c manifestcheck.Object, file string) string {
	volumes := map[string]string{}
	for _, v := range w.PodTemplate().List("spec", "volumes") {
		vo := manifestcheck.Object(v.(map[string]any))
		volumes[vo.Str("name")] = vo.Str("secret", "secretName")
	}
	for _, m := range c.List("volumeMounts") {
		mo := manifestcheck.Object(m.(map[string]any))
		if mo.Str("mountPath") == path.Dir(file) {
			return volumes[mo.Str("name")]
		}
	}
	return ""
}

// TestServiceClientsAreWired (docs/adr/0014): every service with a
// SERVICE_CLIENT_ID is that service, reads its secret from a mount of its
// own <service>-service-client Secret, and reaches identity's gRPC; identity
// reads the clients' hashes from the identity-service-clients Secret. In
// staging and production, identity's hashes are computed from the very
// remote secrets the clients read, for exactly these clients.
func TestServiceClientsAreWired(t *testing.T) {
	for _, overlay := range Overlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			var clients []string
			for _, w := range manifestcheck.OfKind(objs, "Deployment") {
				name := w.Str("metadata", "labels", "app.kubernetes.io/name")
				for _, c := range w.Containers() {
					if args := c.List("args"); len(args) == 0 || args[0] != "serve" {
						continue
					}
					env, err := manifestcheck.ContainerEnv(objs, w.Namespace(), c)
					if err != nil {
						t.Fatal(err)
					}
					if file := env["SERVICE_CLIENTS_FILE"]; file != "" {
						if s := mountedSecret(w, c, file); !strings.HasPrefix(s, "identity-service-clients") || path.Base(file) != "clients" {
							t.Errorf("%s: SERVICE_CLIENTS_FILE=%s is not clients in a mount of identity-service-clients (%q)", w.ID(), file, s)
						}
					}
					id := env["SERVICE_CLIENT_ID"]
					if id == "" {
						continue
					}
					clients = append(clients, id)
					file := env["SERVICE_CLIENT_SECRET_FILE"]
					if id != name || !strings.HasPrefix(mountedSecret(w, c, file), id+"-service-client") || path.Base(file) != "secret" {
						t.Errorf("%s: client %s reads %s from %q, want its own %s-service-client Secret", w.ID(), id, file, mountedSecret(w, c, file), name)
					}
					if env["IDENTITY_GRPC_TARGET"] != "dns:///identity-grpc:9090" {
						t.Errorf("%s: IDENTITY_GRPC_TARGET=%q", w.ID(), env["IDENTITY_GRPC_TARGET"])
					}
				}
			}
			slices.Sort(clients)
			if !slices.Equal(clients, []string{"cart", "orders"}) {
				t.Fatalf("service clients %v, want cart and orders", clients)
			}
			if overlay == "development" {
				return
			}
			hashes := manifestcheck.Find(objs, "ExternalSecret", "identity-service-clients")
			if hashes == nil {
				t.Fatal("no ExternalSecret identity-service-clients")
			}
			template := hashes.Str("spec", "target", "template", "data", "clients")
			for _, d := range hashes.List("spec", "data") {
				ref := manifestcheck.Object(d.(map[string]any))
				client := ref.Str("secretKey")
				own := manifestcheck.Find(objs, "ExternalSecret", client+"-service-client")
				if own == nil || len(own.List("spec", "data")) != 1 {
					t.Errorf("no ExternalSecret %s-service-client with one value", client)
					continue
				}
				theirs := manifestcheck.Object(own.List("spec", "data")[0].(map[string]any))
				if ref.Str("remoteRef", "key") != theirs.Str("remoteRef", "key") || ref.Str("remoteRef", "property") != theirs.Str("remoteRef", "property") {
					t.Errorf("identity hashes %s's secret from %v, the client reads %v", client, ref.Get("remoteRef"), theirs.Get("remoteRef"))
				}
				if !strings.Contains(template, client+"={{ ."+client+" | trim | sha256sum }}") {
					t.Errorf("identity's clients template does not list %s by the hash of its trimmed secret:\n%s", client, template)
				}
				clients = slices.DeleteFunc(clients, func(c string) bool { return c == client })
			}
			if len(clients) != 0 {
				t.Errorf("identity's hashes lack clients %v", clients)
			}
		})
	}
}
