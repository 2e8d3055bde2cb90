package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"net/url"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	cartapp "github.com/shipshape-dev/shipshape/internal/cart/app"
	catalogapp "github.com/shipshape-dev/shipshape/internal/catalog/app"
	identityapp "github.com/shipshape-dev/shipshape/internal/identity/app"
	ordersapp "github.com/shipshape-dev/shipshape/internal/orders/app"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// goService loads a service's configuration from an environment exactly as
// the binary does and returns its common part.
type goService struct {
	names map[string]bool
	load  func(lookup func(string) (string, bool)) (bootstrap.Common, error)
}

func loader[T any](common func(T) bootstrap.Common) func(func(string) (string, bool)) (bootstrap.Common, error) {
	return func(lookup func(string) (string, bool)) (bootstrap.Common, error) {
		var cfg T
		err := config.LoadFrom(lookup, &cfg)
		return common(cfg), err
	}
}

var goServices = map[string]goService{
	"identity": {manifestcheck.EnvNames(identityapp.Config{}), loader(func(c identityapp.Config) bootstrap.Common { return c.Common })},
	"catalog":  {manifestcheck.EnvNames(catalogapp.Config{}), loader(func(c catalogapp.Config) bootstrap.Common { return c.Common })},
	"cart":     {manifestcheck.EnvNames(cartapp.Config{}), loader(func(c cartapp.Config) bootstrap.Common { return c.Common })},
	"orders":   {manifestcheck.EnvNames(ordersapp.Config{}), loader(func(c ordersapp.Config) bootstrap.Common { return c.Common })},
}

// libpqVariables are read by pgx itself (PGPASSWORD keeps the password out
// of DATABASE_URL and out of the ConfigMap).
var libpqVariables = map[string]bool{"PGPASSWORD": true}

// TestServiceEnvironments loads each Go service's real configuration
// struct from the environment its containers get in every overlay: every
// variable must be one the service reads (a typo would be ignored
// silently), and the result must pass the service's own validation.
// The termination grace period must exceed the drain delay plus the
// shutdown timeout the service ends up with.
func TestServiceEnvironments(t *testing.T) {
	for _, overlay := range Overlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			checked := 0
			for _, w := range objs {
				svc, ok := goServices[w.Str("metadata", "labels", "app.kubernetes.io/name")]
				if !ok || w.PodTemplate() == nil {
					continue
				}
				for _, c := range w.Containers() {
					env, err := manifestcheck.ContainerEnv(objs, w.Namespace(), c)
					if err != nil {
						t.Fatalf("%s: %v", w.ID(), err)
					}
					for name := range env {
						if !svc.names[name] && !libpqVariables[name] {
							t.Errorf("%s: container %s: %s is not a variable the service reads", w.ID(), c.Str("name"), name)
						}
					}
					if !strings.HasPrefix(env["DATABASE_URL"], "postgres://") || env["PGPASSWORD"] != manifestcheck.SecretPlaceholder {
						t.Errorf("%s: container %s: DATABASE_URL without password plus PGPASSWORD from a Secret expected, got %q / %q",
							w.ID(), c.Str("name"), env["DATABASE_URL"], env["PGPASSWORD"])
					}
					if u, err := url.Parse(env["DATABASE_URL"]); err != nil || u.User == nil {
						t.Errorf("%s: DATABASE_URL %q must name the service's role", w.ID(), env["DATABASE_URL"])
					} else if _, has := u.User.Password(); has {
						t.Errorf("%s: DATABASE_URL carries a password; it belongs in PGPASSWORD from a Secret", w.ID())
					}
					args := c.List("args")
					if len(args) == 0 || args[0] != "serve" {
						continue // migrate and seed read only the database settings
					}
					checked++
					lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
					common, err := svc.load(lookup)
					if err != nil {
						t.Errorf("%s: configuration refused: %v", w.ID(), err)
						continue
					}
					grace, ok := w.PodTemplate().Int("spec", "terminationGracePeriodSeconds")
					if !ok {
						grace = 30
					}
					need := common.Server.DrainDelay + common.Server.ShutdownTimeout
					if time.Duration(grace)*time.Second <= need {
						t.Errorf("%s: terminationGracePeriodSeconds %d must exceed drain + shutdown timeout (%s)", w.ID(), grace, need)
					}
				}
			}
			if checked < 4 {
				t.Fatalf("checked %d serving containers, want the 4 Go services", checked)
			}
		})
	}
}

// TestIdentityKeyIsMounted: JWT_SIGNING_KEY_FILE points into the volume of
// the identity-jwt Secret.
func TestIdentityKeyIsMounted(t *testing.T) {
	for _, overlay := range Overlays {
		_, objs := render(t, overlay)
		d := manifestcheck.Find(objs, "Deployment", "identity")
		var c manifestcheck.Object
		for _, x := range d.Containers() {
			if x.Str("name") == "identity" {
				c = x
			}
		}
		env, err := manifestcheck.ContainerEnv(objs, d.Namespace(), c)
		if err != nil {
			t.Fatal(err)
		}
		file := env["JWT_SIGNING_KEY_FILE"]
		volumes := map[string]string{}
		for _, v := range d.PodTemplate().List("spec", "volumes") {
			vo := manifestcheck.Object(v.(map[string]any))
			volumes[vo.Str("name")] = vo.Str("secret", "secretName")
		}
		mounted := false
		for _, m := range c.List("volumeMounts") {
			mo := manifestcheck.Object(m.(map[string]any))
			if path.Dir(file) == mo.Str("mountPath") && strings.HasPrefix(volumes[mo.Str("name")], "identity-jwt") {
				mounted = true
			}
		}
		if !mounted || path.Base(file) != "signing-key.pem" {
			t.Errorf("%s: JWT_SIGNING_KEY_FILE=%s is not signing-key.pem in a mount of the identity-jwt Secret", overlay, file)
		}
	}
}

// TestGRPCTargetsUseHeadlessServices: every *_GRPC_TARGET resolves through
// a headless Service (client-side round robin) on its gRPC port.
func TestGRPCTargetsUseHeadlessServices(t *testing.T) {
	_, objs := render(t, "production")
	seen := 0
	for _, cm := range manifestcheck.OfKind(objs, "ConfigMap") {
		for k, v := range cm.Map("data") {
			if !strings.HasSuffix(k, "_GRPC_TARGET") {
				continue
			}
			seen++
			target, ok := strings.CutPrefix(v.(string), "dns:///")
			host, port, found := strings.Cut(target, ":")
			if !ok || !found {
				t.Errorf("%s %s=%s: want dns:///<service>:<port>", cm.ID(), k, v)
				continue
			}
			svc := manifestcheck.FindIn(objs, "Service", cm.Namespace(), host)
			if svc == nil || svc.Str("spec", "clusterIP") != "None" {
				t.Errorf("%s %s: %s is not a headless Service", cm.ID(), k, host)
				continue
			}
			var ports []string
			for _, p := range svc.List("spec", "ports") {
				ports = append(ports, manifestcheck.Object(p.(map[string]any)).Str("name"))
			}
			if port != "9090" || !slices.Contains(ports, "grpc") {
				t.Errorf("%s %s: want port 9090 named grpc, got %s on %v", cm.ID(), k, port, ports)
			}
		}
	}
	if seen != 5 {
		t.Errorf("found %d gRPC targets, want 5 (cart: identity, catalog; orders: identity, catalog, cart)", seen)
	}
}
