package engine_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
)

// BenchmarkProxiedRoute is the gateway's own cost per request: GET
// /api/v1/categories with the production configuration (rate limits raised
// out of the way, access log discarded) in front of a test upstream that
// answers at once, against calling that upstream directly.
func BenchmarkProxiedRoute(b *testing.B) {
	up := newUpstream(b)
	cfg := enginetest.Rendered(b, "production")
	cfg.Retarget(b, nil, up.URL, up.URL)
	enginetest.Ensure(cfg, "extra_config", "telemetry/logging")["level"] = "INFO"
	enginetest.Ensure(cfg, "extra_config", "router")["disable_access_log"] = false
	limit := obj(cfg.Endpoint(b, "GET", "/api/v1/categories"), "extra_config", "qos/ratelimit/router")
	limit["max_rate"], limit["capacity"], limit["client_max_rate"], limit["client_capacity"] = 1e9, 1e9, 1e9, 1e9
	g := enginetest.Start(b, cfg, engine.Options{AccessLog: io.Discard})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for name, url := range map[string]string{"direct": up.URL + "/v1/categories", "gateway": g.URL + "/api/v1/categories"} {
		b.Run(name, func(b *testing.B) {
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := client.Get(url)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Errorf("%s: %d", url, resp.StatusCode)
						return
					}
				}
			})
		})
	}
}
