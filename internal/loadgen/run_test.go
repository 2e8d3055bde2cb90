package loadgen

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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

// Set-up waits for an API that does not accept connections yet (a Job's
// pod whose network is not ready, a gateway rolling) instead of failing at
// once, and gives up with the connection's error after its bound.
func TestSetUpWaitsForTheAPIToAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: connections are refused
	c := newClient(Options{API: "http://" + addr, Timeout: time.Second, MaxInFlight: 1})
	if _, err := firstAnswer(t.Context(), c, time.Second); err == nil || !strings.Contains(err.Error(), "no answer within 1s") {
		t.Fatalf("with nothing listening: %v, want no answer within 1s", err)
	}
	served := make(chan net.Listener, 1)
	go func() {
		time.Sleep(700 * time.Millisecond) // the API comes up while set-up waits
		ln, err := net.Listen("tcp", addr)
		served <- ln
		if err == nil {
			_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(`{"categories":[{"slug":"lamps"}]}`))
			}))
		}
	}()
	body, err := firstAnswer(t.Context(), c, 10*time.Second)
	if ln := <-served; ln != nil {
		defer ln.Close()
	}
	if err != nil || len(list(body, "categories")) != 1 {
		t.Fatalf("after the API came up: %v %v", body, err)
	}
}

// Set-up keeps the products a shopper can buy apart: a sold-out product is
// browsed but never put in a cart.
func TestSetUpKnowsWhatIsInStock(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/categories":
			_, _ = w.Write([]byte(`{"categories":[{"slug":"lamps"}]}`))
		case "/products":
			_, _ = w.Write([]byte(`{"products":[{"id":"p1","slug":"sold-out","stock":0},{"id":"p2","slug":"lantern","stock":3}]}`))
		}
	}))
	defer api.Close()
	w, err := setUp(t.Context(), newClient(Options{API: api.URL, Timeout: time.Second, MaxInFlight: 1}), Mix{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.products) != 2 || len(w.inStock) != 1 || w.inStock[0].slug != "lantern" {
		t.Errorf("products %v, in stock %v: want both browsed, only the lantern bought", w.products, w.inStock)
	}
}
