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
// krakend.json is rendered from (scripts/render-gateway-config.sh): the
// development settings serve make run (backends on 127.0.0.1), so the
// development cluster uses staging's, which name the in-cluster Services.
var gatewaySettings = map[string]string{"development": "staging", "staging": "staging", "production": "production"}

// TestGatewayConfigIsCurrent: each overlay's committed krakend.json is
// exactly what gateway/config renders today.
func TestGatewayConfigIsCurrent(t *testing.T) {
	tb := box(t)
	for overlay, settings := range gatewaySettings {
		want, err := krakend.Render(settings)
		if err != nil {
			t.Fatalf("%s: %v", settings, err)
		}
		var indented bytes.Buffer
		if err := json.Indent(&indented, want, "", "  "); err != nil {
			t.Fatal(err)
		}
		indented.WriteByte('\n')
		got, err := os.ReadFile(tb.Path("deploy", "kubernetes", "apps", overlay, "gateway", "krakend.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, indented.Bytes()) {
			t.Errorf("apps/%s/gateway/krakend.json is stale: run scripts/render-gateway-config.sh", overlay)
		}
	}
}

// TestGatewayBackendsExist: every backend and JWKS URL in the gateway
// configuration names a Service and port of the same rendering.
func TestGatewayBackendsExist(t *testing.T) {
	for overlay := range gatewaySettings {
		_, objs := render(t, overlay)
		var cfg any
		for _, cm := range manifestcheck.OfKind(objs, "ConfigMap") {
			if data := cm.Str("data", "krakend.json"); data != "" {
				if err := json.Unmarshal([]byte(data), &cfg); err != nil {
					t.Fatalf("%s: %s: %v", overlay, cm.ID(), err)
				}
			}
		}
		if cfg == nil {
			t.Fatalf("%s: no ConfigMap holds krakend.json", overlay)
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
		for _, cm := range manifestcheck.OfKind(objs, "ConfigMap") {
			if data := cm.Str("data", "krakend.json"); data != "" {
				if err := json.Unmarshal([]byte(data), &cfg); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := cfg.ExtraConfig.CORS.AllowOrigins; len(got) != 1 || got[0] != "https://"+host {
			t.Errorf("%s: gateway CORS origins %v, want [https://%s]", overlay, got, host)
		}
	}
}
