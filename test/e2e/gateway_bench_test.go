package e2e_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
)

// benchGateway serves the production krakend.json with shipshape's gateway
// in front of s, as production runs it (INFO logging, access log, every
// component in the path) except for the rate limits, raised so that one
// benchmark client is never limited, and the access log, written to
// io.Discard instead of stdout.
func benchGateway(b *testing.B, s *system) string {
	b.Helper()
	cfg := enginetest.Rendered(b, "production")
	cfg.Retarget(b, map[string][]string{
		"identity": {s.identity.REST}, "catalog": {s.catalog.REST}, "cart": {s.cart.REST}, "orders": {s.orders.REST},
	}, "http://127.0.0.1:1", s.identity.REST+"/.well-known/jwks.json")
	enginetest.Ensure(cfg, "extra_config", "telemetry/logging")["level"] = "INFO"
	enginetest.Ensure(cfg, "extra_config", "router")["disable_access_log"] = false
	for _, e := range cfg.Endpoints() {
		limit := enginetest.Obj(e, "extra_config", "qos/ratelimit/router")
		limit["max_rate"], limit["capacity"], limit["client_max_rate"], limit["client_capacity"] = 1e9, 1e9, 1e9, 1e9
	}
	return enginetest.Start(b, cfg, engine.Options{AccessLog: io.Discard}).URL
}

// productPaths are the same product read directly from catalog's REST
// facade and through the gateway's public route.
func productPaths(b *testing.B, s *system) map[string]string {
	return map[string]string{
		"direct":  s.catalog.REST + "/v1/products/storm-lantern",
		"gateway": benchGateway(b, s) + "/api/v1/products/storm-lantern",
	}
}

// BenchmarkGatewayLatency reads one product one request at a time, from
// catalog directly and through the gateway, and reports the median and
// 99th percentile: their difference is what the gateway adds.
func BenchmarkGatewayLatency(b *testing.B) {
	s := startSystem(b)
	paths := productPaths(b, s)
	for _, name := range []string{"direct", "gateway"} {
		b.Run(name, func(b *testing.B) {
			url := paths[name]
			durations := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				if status, err := do("GET", url, "", nil); status != 200 {
					b.Fatalf("%s: %d %v", url, status, err)
				}
				durations = append(durations, time.Since(t0))
			}
			slices.Sort(durations)
			b.ReportMetric(float64(durations[len(durations)/2].Microseconds()), "p50-us")
			b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds()), "p99-us")
		})
	}
}

// bareProxy is the floor any HTTP gateway pays on this machine: the standard
// library's reverse proxy in front of catalog, with nothing else in the path.
func bareProxy(b *testing.B, s *system) string {
	target, err := url.Parse(s.catalog.REST)
	if err != nil {
		b.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = &http.Transport{MaxIdleConnsPerHost: 64}
	srv := httptest.NewServer(proxy)
	b.Cleanup(srv.Close)
	return srv.URL + "/v1/products/storm-lantern"
}

// BenchmarkGatewayThroughput reads one product with 4 goroutines per core,
// from catalog directly, through a bare reverse proxy and through the
// gateway (client, proxy, catalog and PostgreSQL share the machine's cores).
func BenchmarkGatewayThroughput(b *testing.B) {
	s := startSystem(b)
	paths := productPaths(b, s)
	paths["bare-proxy"] = bareProxy(b, s)
	for _, name := range []string{"direct", "bare-proxy", "gateway"} {
		b.Run(name, func(b *testing.B) {
			url := paths[name]
			b.SetParallelism(4)
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if status, err := do("GET", url, "", nil); status != 200 {
						b.Errorf("%s: %d %v", url, status, err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}
