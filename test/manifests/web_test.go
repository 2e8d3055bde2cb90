package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"maps"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// webRuntimeVariables are read by Node and Next.js themselves, not by
// web/src/lib/config.ts.
var webRuntimeVariables = map[string]bool{"PORT": true, "HOSTNAME": true, "NODE_ENV": true,
	"NODE_OPTIONS": true, "NEXT_TELEMETRY_DISABLED": true}

// webConfigNames are the variables web/src/lib/config.ts reads.
func webConfigNames(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(box(t).Path("web", "src", "lib", "config.ts"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:read|get)\("([A-Z][A-Z0-9_]*)"`).FindAllStringSubmatch(string(data), -1) {
		names[m[1]] = true
	}
	if !names["API_URL"] || len(names) < 5 {
		t.Fatalf("could not read the storefront's variables from config.ts (found %v)", names)
	}
	return names
}

// TestWebEnvironment: the storefront gets only variables it reads, its
// API_URL is the gateway's public API, its sessions last as long as
// identity's refresh tokens, cookies are Secure outside development, and
// its grace period covers its drain.
func TestWebEnvironment(t *testing.T) {
	names := webConfigNames(t)
	for _, overlay := range Overlays {
		_, objs := render(t, overlay)
		web := manifestcheck.Find(objs, "Deployment", "web")
		env, err := manifestcheck.ContainerEnv(objs, web.Namespace(), web.Containers()[0])
		if err != nil {
			t.Fatal(err)
		}
		for name := range env {
			if !names[name] && !webRuntimeVariables[name] {
				t.Errorf("%s: web: %s is not a variable the storefront reads", overlay, name)
			}
		}
		u, err := url.Parse(env["API_URL"])
		if err != nil || u.Path != "/api/v1" || manifestcheck.Find(objs, "Service", u.Hostname()) == nil {
			t.Errorf("%s: API_URL %q: want http://<gateway Service>:<port>/api/v1", overlay, env["API_URL"])
		}
		if (env["COOKIE_SECURE"] == "false") != (overlay == "development") {
			t.Errorf("%s: COOKIE_SECURE=%s: Secure cookies everywhere but plain-HTTP development", overlay, env["COOKIE_SECURE"])
		}
		identity := manifestcheck.Find(objs, "Deployment", "identity")
		var idEnv map[string]string
		for _, c := range identity.Containers() {
			if c.Str("name") == "identity" {
				idEnv, _ = manifestcheck.ContainerEnv(objs, identity.Namespace(), c)
			}
		}
		if env["SESSION_MAX_AGE"] != idEnv["REFRESH_TOKEN_TTL"] {
			t.Errorf("%s: SESSION_MAX_AGE %s differs from identity's REFRESH_TOKEN_TTL %s", overlay, env["SESSION_MAX_AGE"], idEnv["REFRESH_TOKEN_TTL"])
		}
		drain, err1 := time.ParseDuration(env["SHUTDOWN_DRAIN_DELAY"])
		timeout, err2 := time.ParseDuration(env["SHUTDOWN_TIMEOUT"])
		grace, _ := web.PodTemplate().Int("spec", "terminationGracePeriodSeconds")
		if err1 != nil || err2 != nil || time.Duration(grace)*time.Second <= drain+timeout {
			t.Errorf("%s: web terminationGracePeriodSeconds %d must exceed drain %s + timeout %s", overlay, grace, drain, timeout)
		}
	}
}

// TestIngressRoutes: the public API goes to the gateway, everything else
// (the storefront's pages and its own /api routes) to web, over the
// Ingresses the edge guards differently (sign-in apart), all on one host.
func TestIngressRoutes(t *testing.T) {
	want := map[string]string{"/api/v1": "gateway", "/": "web", "/api/v1/auth": "gateway", "/api/session": "web", "/api/account": "web"}
	for _, overlay := range Overlays {
		_, objs := render(t, overlay)
		routes := map[string]string{}
		hosts := map[string]bool{}
		for _, ing := range manifestcheck.OfKind(objs, "Ingress") {
			for _, r := range ing.List("spec", "rules") {
				rule := manifestcheck.Object(r.(map[string]any))
				hosts[rule.Str("host")] = true
				for _, p := range rule.List("http", "paths") {
					po := manifestcheck.Object(p.(map[string]any))
					routes[po.Str("path")] = po.Str("backend", "service", "name")
				}
			}
		}
		if !maps.Equal(routes, want) {
			t.Errorf("%s: Ingress routes %v, want %v", overlay, routes, want)
		}
		if len(hosts) != 1 {
			t.Errorf("%s: the Ingresses name hosts %v, want one", overlay, hosts)
		}
		for host := range hosts {
			if overlay != "development" && !strings.HasSuffix(host, "shipshape.example") {
				t.Errorf("%s: host %s", overlay, host)
			}
		}
	}
}
