package manifests_test

import (
	"bytes"
	"encoding/json"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"net/url"
	"os"
	"strconv"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/krakend"
)

// gatewaySettings says which gateway/config settings each overlay's
// krakend.json is rendered from: the development settings serve make run
// (backends on 127.0.0.1), so the development cluster uses staging's, which
// name the in-cluster Services.
var gatewaySettings = map[string]string{"development": "staging", "staging": "staging", "production": "production"}

// TestGatewayConfigIsCurrent: the krakend.json committed once per settings
// set (apps/gateway-config/<settings>) is exactly what gateway/config
// renders today, and each overlay serves the one of its settings.
func TestGatewayConfigIsCurrent(t *testing.T) {
	tb := box(t)
	rendered := map[string]string{}
	for _, settings := range gatewaySettings {
		if _, done := rendered[settings]; done {
			continue
		}
		want, err := krakend.Render(settings)
		if err != nil {
			t.Fatalf("%s: %v", settings, err)
		}
		var indented bytes.Buffer
		if err := json.Indent(&indented, want, "", "  "); err != nil {
			t.Fatal(err)
		}
		indented.WriteByte('\n')
		rendered[settings] = indented.String()
		got, err := os.ReadFile(tb.Path("deploy", "kubernetes", "apps", "gateway-config", settings, "krakend.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, indented.Bytes()) {
			t.Errorf("apps/gateway-config/%s/krakend.json is stale: run make manifests-generate", settings)
		}
	}
	for overlay, settings := range gatewaySettings {
		if got := gatewayConfig(t, overlay); got != rendered[settings] {
			t.Errorf("%s serves a krakend.json that is not the %s rendering", overlay, settings)
		}
	}
}

// gatewayConfig is the krakend.json an overlay's ConfigMap carries.
func gatewayConfig(t *testing.T, overlay string) string {
	t.Helper()
	_, objs := render(t, overlay)
	for _, cm := range manifestcheck.OfKind(objs, "ConfigMap") {
		if data := cm.Str("data", "krakend.json"); data != "" {
			return data
		}
	}
	t.Fatalf("%s: no ConfigMap holds krakend.json", overlay)
	return ""
}

// TestGatewayBackendsExist: every backend and JWKS URL in the gateway
// configuration names a Service and port of the same rendering.
func TestGatewayBackendsExist(t *testing.T) {
	for overlay := range gatewaySettings {
		_, objs := render(t, overlay)
		var cfg any
		if err := json.Unmarshal([]byte(gatewayConfig(t, overlay)), &cfg); err != nil {
			t.Fatalf("%s: %v", overlay, err)
		}
		urls := map[string]bool{}
		collectURLs(cfg, urls)
		if len(urls) < 5 {
			t.Fatalf("%s: found only %v in the gateway configuration", overlay, urls)
		}
		for raw := range urls {
			u, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s: %s: %v", overlay, raw, err)
				continue
			}
			svc := manifestcheck.Find(objs, "Service", u.Hostname())
			port, _ := strconv.Atoi(u.Port())
			found := false
			for _, p := range svc.List("spec", "ports") {
				n, _ := manifestcheck.Object(p.(map[string]any)).Int("port")
				found = found || n == port
			}
			if svc == nil || !found {
				t.Errorf("%s: the gateway calls %s, but no Service %s has port %d", overlay, raw, u.Hostname(), port)
			}
		}
	}
}

// collectURLs gathers backend "host" entries and "jwk_url" values.
func collectURLs(v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			switch k {
			case "host":
				for _, h := range x.([]any) {
					out[h.(string)] = true
				}
			case "jwk_url":
				out[x.(string)] = true
			default:
				collectURLs(x, out)
			}
		}
	case []any:
		for _, x := range v {
			collectURLs(x, out)
		}
	}
}

// TestGatewayCORSMatchesHost: outside development the gateway's CORS
// origins are exactly the environment's Ingress host over https.
func TestGatewayCORSMatchesHost(t *testing.T) {
	for _, overlay := range []string{"staging", "production"} {
		_, objs := render(t, overlay)
		host := manifestcheck.Object(manifestcheck.Find(objs, "Ingress", "shipshape").List("spec", "rules")[0].(map[string]any)).Str("host")
		var cfg struct {
			ExtraConfig struct {
				CORS struct {
					AllowOrigins []string `json:"allow_origins"`
				} `json:"security/cors"`
			} `json:"extra_config"`
		}
		if err := json.Unmarshal([]byte(gatewayConfig(t, overlay)), &cfg); err != nil {
			t.Fatal(err)
		}
		if got := cfg.ExtraConfig.CORS.AllowOrigins; len(got) != 1 || got[0] != "https://"+host {
			t.Errorf("%s: gateway CORS origins %v, want [https://%s]", overlay, got, host)
		}
	}
}
