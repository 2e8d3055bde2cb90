package manifests_test

import (
	"encoding/json"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"strings"
	"testing"
)

// TestClientAddressTrustAgrees: the storefront and the gateway take
// X-Forwarded-For from the same range, the pod network of the ingress
// controller and the storefront (docs/adr/0015), so both name the same
// client, and neither trusts it from anywhere else.
func TestClientAddressTrustAgrees(t *testing.T) {
	for overlay := range gatewaySettings {
		_, objs := render(t, overlay)
		var gateway struct {
			ExtraConfig struct {
				Router struct {
					TrustedProxies []string `json:"trusted_proxies"`
				} `json:"router"`
			} `json:"extra_config"`
		}
		web, found := "", false
		for _, cm := range manifestcheck.OfKind(objs, "ConfigMap") {
			if data := cm.Str("data", "krakend.json"); data != "" {
				if err := json.Unmarshal([]byte(data), &gateway); err != nil {
					t.Fatalf("%s: %s: %v", overlay, cm.ID(), err)
				}
			}
			if cm.Str("data", "API_URL") != "" {
				web, found = cm.Str("data", "TRUSTED_PROXY_CIDRS"), true
			}
		}
		if !found {
			t.Fatalf("%s: no storefront ConfigMap (with API_URL)", overlay)
		}
		want := strings.Join(gateway.ExtraConfig.Router.TrustedProxies, ",")
		if want == "" || web != want {
			t.Errorf("%s: the storefront trusts X-Forwarded-For from %q, the gateway from %q: want the same range", overlay, web, want)
		}
	}
}
