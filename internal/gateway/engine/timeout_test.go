package engine_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
)

// TestEndpointTimeoutsUnderLoad: many requests at once to an endpoint whose
// backend never answers in time each end with the endpoint timeout's
// status. Run with -race (make test): Lura makes each request's timeout a
// child of gin's pooled context, and a timer that fires as the handler
// returns used to read that context while gin handed it to the next
// request (detachedContext in factories.go).
func TestEndpointTimeoutsUnderLoad(t *testing.T) {
	const endpointTimeout = 5 * time.Millisecond
	catalog := newUpstream(t)
	catalog.setAnswer(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	g := startGateway(t, setup{
		env:   "development",
		hosts: map[string][]string{"catalog": {catalog.URL}},
		mutate: func(cfg enginetest.Config) {
			e := cfg.Endpoint(t, "GET", "/api/v1/categories")
			e["timeout"] = endpointTimeout.String()
			delete(backends(e)[0]["extra_config"].(map[string]any), "qos/circuit-breaker")
		},
	})
	url := g.URL + "/api/v1/categories"
	var wg sync.WaitGroup
	statuses := make(chan int, 200)
	for range 8 {
		wg.Go(func() {
			for range 25 {
				statuses <- get(t, url).Status
			}
		})
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s == http.StatusOK {
			t.Fatalf("a request answered 200 although its backend never answered")
		}
	}
}
