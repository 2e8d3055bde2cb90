package manifests_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// traefikMiddlewares is the part of Traefik's dynamic configuration the
// edge sets (deploy/addons/traefik/edge.yaml and limits.yaml).
type traefikMiddlewares struct {
	HTTP struct {
		Middlewares map[string]struct {
			RateLimit *struct {
				Average int    `yaml:"average"`
				Period  string `yaml:"period"`
				Burst   int    `yaml:"burst"`
			} `yaml:"rateLimit"`
			Buffering *struct {
				MaxRequestBodyBytes int64 `yaml:"maxRequestBodyBytes"`
			} `yaml:"buffering"`
		} `yaml:"middlewares"`
	} `yaml:"http"`
}

func readMiddlewares(t *testing.T, paths ...string) traefikMiddlewares {
	t.Helper()
	var all traefikMiddlewares
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m traefikMiddlewares
		if err := yaml.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if all.HTTP.Middlewares == nil {
			all = m
			continue
		}
		for name, mw := range m.HTTP.Middlewares {
			all.HTTP.Middlewares[name] = mw
		}
	}
	return all
}

// gatewayLimits is what the edge must agree with in an environment's
// gateway settings (gateway/config/settings/<environment>).
type gatewayLimits struct {
	limits map[string]struct {
		ClientMaxRate  int    `json:"client_max_rate"`
		ClientCapacity int    `json:"client_capacity"`
		Every          string `json:"every"`
		Strategy       string `json:"strategy"`
	}
	maxPayload int64
}

func readGatewayLimits(t *testing.T, env string) gatewayLimits {
	t.Helper()
	dir := box(t).Path("gateway", "config", "settings", env)
	var s gatewayLimits
	for file, v := range map[string]any{"ratelimit.json": &s.limits, "router.json": &struct {
		MaxPayload *int64 `json:"max_payload"`
	}{&s.maxPayload}} {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s/%s: %v", env, file, err)
		}
	}
	return s
}

// The edge's per-client limits in each environment (the add-on's
// limits.yaml for the test cluster and staging, the production
// component's own) are the gateway's per-client limits of the same routes
// in that environment (the settings its krakend.json is rendered from):
// same rate, period and burst, keyed by the client's address; its body
// limit is the gateway's max_payload. Changing one side without the other
// fails here.
func TestEdgeLimitsMatchTheGateway(t *testing.T) {
	traefik := box(t).Path("deploy", "addons", "traefik")
	limitsOf := map[string]string{
		"development": filepath.Join(traefik, "limits.yaml"),
		"staging":     filepath.Join(traefik, "limits.yaml"),
		"production":  filepath.Join(traefik, "production", "limits.yaml"),
	}
	// the edge's middleware -> the gateway's limit of the same routes
	pairs := map[string]string{"api-limit": "default", "signin-limit": "auth"}
	for env, limits := range limitsOf {
		edge := readMiddlewares(t, filepath.Join(traefik, "edge.yaml"), limits)
		gw := readGatewayLimits(t, gatewaySettings[env])
		for middleware, limit := range pairs {
			rl := edge.HTTP.Middlewares[middleware].RateLimit
			g, ok := gw.limits[limit]
			if rl == nil || !ok {
				t.Errorf("%s: edge %s %v, gateway %q limit present %v", env, middleware, rl, limit, ok)
				continue
			}
			period, err1 := time.ParseDuration(rl.Period)
			every, err2 := time.ParseDuration(g.Every)
			if err1 != nil || err2 != nil || rl.Average != g.ClientMaxRate || rl.Burst != g.ClientCapacity || period != every || g.Strategy != "ip" {
				t.Errorf("%s: edge %s is %d per %s, burst %d; the gateway's %q per client is %d per %s, burst %d (by %s)",
					env, middleware, rl.Average, rl.Period, rl.Burst, limit, g.ClientMaxRate, g.Every, g.ClientCapacity, g.Strategy)
			}
		}
		if b := edge.HTTP.Middlewares["body-limit"].Buffering; b == nil || b.MaxRequestBodyBytes != gw.maxPayload {
			t.Errorf("%s: edge body limit %v, the gateway's max_payload %d", env, b, gw.maxPayload)
		}
	}
}

// Every middleware an environment's Ingresses name is one Traefik's file
// provider defines, the API and sign-in Ingresses carry their limits, and
// every Ingress ends its list with connect-retry (inside the breaker, so
// that a retried success does not count as a failure): a misspelt name
// would make Traefik drop the route.
func TestIngressesNameTheEdgesMiddlewares(t *testing.T) {
	traefik := box(t).Path("deploy", "addons", "traefik")
	edge := readMiddlewares(t, filepath.Join(traefik, "edge.yaml"), filepath.Join(traefik, "limits.yaml"))
	want := map[string]string{"shipshape-api": "api-limit", "shipshape-signin": "signin-limit"}
	for _, overlay := range Overlays {
		_, objs := render(t, overlay)
		for _, ing := range manifestcheck.OfKind(objs, "Ingress") {
			var names []string
			for _, ref := range strings.Split(ing.Str("metadata", "annotations", "traefik.ingress.kubernetes.io/router.middlewares"), ",") {
				if ref == "" {
					continue
				}
				name, ok := strings.CutSuffix(strings.TrimSpace(ref), "@file")
				if _, defined := edge.HTTP.Middlewares[name]; !ok || !defined {
					t.Errorf("%s: Ingress %s names middleware %q, which Traefik's file provider does not define", overlay, ing.Name(), ref)
				}
				names = append(names, name)
			}
			if w, ok := want[ing.Name()]; ok && !slices.Contains(names, w) {
				t.Errorf("%s: Ingress %s has middlewares %v, want %s among them", overlay, ing.Name(), names, w)
			}
			if len(names) == 0 || names[len(names)-1] != "connect-retry" {
				t.Errorf("%s: Ingress %s has middlewares %v, want connect-retry last", overlay, ing.Name(), names)
			}
		}
	}
}

// The production component puts its limits in place of the add-on's and
// leaves the rest of Traefik's configuration as it is.
func TestEdgeComponentsReplaceOnlyTheLimits(t *testing.T) {
	traefik := box(t).Path("deploy", "addons", "traefik")
	for _, env := range []string{"production"} {
		_, objs := renderComposed(t, []string{traefik}, filepath.Join(traefik, env))
		var data map[string]any
		for _, cm := range manifestcheck.OfKind(objs, "ConfigMap") {
			if strings.HasPrefix(cm.Name(), "traefik-edge") {
				data = cm.Map("data")
			}
		}
		for file, from := range map[string]string{"edge.yaml": filepath.Join(traefik, "edge.yaml"), "limits.yaml": filepath.Join(traefik, env, "limits.yaml")} {
			want, err := os.ReadFile(from)
			if err != nil {
				t.Fatal(err)
			}
			if data[file] != string(want) {
				t.Errorf("%s: the ConfigMap's %s is not %s", env, file, from)
			}
		}
	}
}
