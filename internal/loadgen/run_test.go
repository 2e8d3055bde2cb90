package loadgen

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// Closing Stop ends the arrivals long before the schedule would, and the
// journeys already under way finish and count as served, not failed.
func TestStopEndsArrivalsAndLetsJourneysFinish(t *testing.T) {
	var served atomic.Int64
	stop := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/categories":
			_, _ = w.Write([]byte(`{"categories":[{"slug":"lamps"}]}`))
		case "/products":
			_, _ = w.Write([]byte(`{"products":[{"id":"p1","slug":"lantern"}]}`))
		default:
			if served.Add(1) == 20 {
				close(stop)
			}
			time.Sleep(50 * time.Millisecond) // still in flight when Stop closes
			_, _ = w.Write([]byte(`{}`))
		}
	}))
	defer api.Close()
	mix, err := ParseMix([]byte("journeys:\n  - name: product page\n    weight: 1\n    steps:\n      - {route: product, method: GET, path: \"/products/{product.slug}\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	r, err := Run(t.Context(), Options{API: api.URL, Mix: mix, Rate: 100, Steady: time.Minute,
		MaxInFlight: 100, Timeout: 5 * time.Second, Stop: stop})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took > 20*time.Second {
		t.Errorf("Run took %s after Stop closed at about 0.2 s", took)
	}
	if !r.Clean() || r.Total.Requests < 20 || r.Arrivals > 100 {
		t.Errorf("arrivals %d, outcomes %+v: want every one of at least 20 requests served, and the arrivals stopped early", r.Arrivals, r.Total)
	}
}
