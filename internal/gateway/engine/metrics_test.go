package engine_test

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
)

// TestPrometheusMetrics: with a metrics listener the gateway counts its
// requests by endpoint pattern and status, including the ones it refuses
// itself, and never labels with a raw path.
func TestPrometheusMetrics(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := startGateway(t, setup{env: "development", opts: engine.Options{MetricsListener: ln}})
	get(t, g.URL+"/api/v1/products/storm-lantern")
	get(t, g.URL+"/api/v1/products/ember-mug")
	get(t, g.URL+"/api/v1/cart")             // 401 from the validator
	get(t, g.URL+"/api/v1/no-such-route-42") // 404, unmatched
	big := strings.NewReader(strings.Repeat("x", 2<<20))
	call(t, nil, http.MethodPost, g.URL+"/api/v1/auth/signup", big) // 413 from max_payload

	r := get(t, "http://"+ln.Addr().String()+"/metrics")
	if r.Status != http.StatusOK {
		t.Fatalf("/metrics: %d", r.Status)
	}
	for _, want := range []string{
		`http_requests_total{code="200",method="GET",route="/api/v1/products/:idOrSlug"} 2`,
		`http_requests_total{code="401",method="GET",route="/api/v1/cart"} 1`,
		`http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`http_requests_total{code="413",method="POST",route="/api/v1/auth/signup"} 1`,
		`http_requests_total{code="200",method="GET",route="/__health"}`,
		`http_request_duration_seconds_count{method="GET",route="/api/v1/products/:idOrSlug"} 2`,
		"go_goroutines ",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, raw := range []string{"storm-lantern", "no-such-route-42"} {
		if strings.Contains(r.Body, raw) {
			t.Errorf("/metrics has the raw path %q as a label", raw)
		}
	}
}
