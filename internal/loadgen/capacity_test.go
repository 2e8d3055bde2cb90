package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// limitedAPI serves the catalog reads set-up needs and answers product
// pages within a rate limit of perSecond, with 503 beyond it: a system
// whose capacity is known.
func limitedAPI(t *testing.T, perSecond float64) string {
	t.Helper()
	limit := rate.NewLimiter(rate.Limit(perSecond), int(perSecond/5))
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/categories":
			_, _ = w.Write([]byte(`{"categories":[{"slug":"lamps"}]}`))
		case r.URL.Path == "/products":
			_, _ = w.Write([]byte(`{"products":[{"id":"p1","slug":"lantern"}]}`))
		case limit.Allow():
			_, _ = w.Write([]byte(`{}`))
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(api.Close)
	return api.URL
}

func productPages(t *testing.T) Mix {
	t.Helper()
	mix, err := ParseMix([]byte("journeys:\n  - name: product page\n    weight: 1\n    steps:\n      - {route: product, method: GET, path: \"/products/{product.slug}\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return mix
}

// Against a system that serves 150 requests a second and refuses the
// rest, the rate doubles from 25 while steps are clean: 25, 50 and 100
// pass, 200 fails, so the capacity is 100 and the failing step says why.
func TestFindCapacityStopsAtTheFirstFailingRate(t *testing.T) {
	o := Options{API: limitedAPI(t, 150), Mix: productPages(t), Steady: 2 * time.Second, MaxInFlight: 100, Timeout: 5 * time.Second}
	r, err := FindCapacity(t.Context(), o, Capacity{Start: 25, Max: 1000, Factor: 2, P99: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var rates []float64
	for _, s := range r.Steps {
		rates = append(rates, s.Rate)
	}
	if r.Capacity != 100 || r.AtMax || len(rates) != 4 || rates[3] != 200 {
		t.Fatalf("capacity %g (at max %v) after rates %v, want 100 after 25, 50, 100, 200\n%s", r.Capacity, r.AtMax, rates, r.Markdown())
	}
	if last := r.Steps[3]; last.Clean || !strings.Contains(last.Why, "failed") {
		t.Errorf("the 200/s step: %+v, want failed with its failed requests named", last)
	}
	if !strings.Contains(r.Markdown(), "**Capacity: 100 journeys/s.**") {
		t.Errorf("the markdown does not state the capacity:\n%s", r.Markdown())
	}
}

// A search that reaches its maximum with every step clean says so, and
// refinement never runs without a failing rate to narrow towards.
func TestFindCapacitySaysWhenTheMaximumWasClean(t *testing.T) {
	o := Options{API: limitedAPI(t, 1000), Mix: productPages(t), Steady: time.Second, MaxInFlight: 100, Timeout: 5 * time.Second}
	r, err := FindCapacity(t.Context(), o, Capacity{Start: 20, Max: 30, Factor: 2, Refine: 2, P99: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Capacity != 30 || !r.AtMax || len(r.Steps) != 2 {
		t.Fatalf("capacity %g, at max %v, %d steps; want 30, true, 2 (20 then 30)", r.Capacity, r.AtMax, len(r.Steps))
	}
}

// cancelOn is a progress writer that ends a context once a line holds
// word: a user's Ctrl-C at a known point of the search.
type cancelOn struct {
	word   string
	cancel func()
}

func (c cancelOn) Write(p []byte) (int, error) {
	if strings.Contains(string(p), c.word) {
		c.cancel()
	}
	return len(p), nil
}

// A search stopped during a step keeps the steps it finished and says
// where it stopped; the step cut short is not judged.
func TestFindCapacityKeepsTheFinishedStepsWhenInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	o := Options{API: limitedAPI(t, 1000), Mix: productPages(t), Steady: time.Second, MaxInFlight: 100, Timeout: 5 * time.Second,
		Progress: cancelOn{"20/s clean", cancel}}
	r, err := FindCapacity(ctx, o, Capacity{Start: 20, Max: 1000, Factor: 2, P99: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Interrupted != 40 || r.Capacity != 20 || len(r.Steps) != 1 || r.Steps[0].Rate != 20 {
		t.Fatalf("interrupted at %g, capacity %g, steps %+v; want 40, 20 and the 20/s step alone", r.Interrupted, r.Capacity, r.Steps)
	}
	if want := "Interrupted during the step at 40 journeys/s: capacity at least 20 journeys/s."; !strings.Contains(r.Markdown(), want) {
		t.Errorf("the markdown does not say %q:\n%s", want, r.Markdown())
	}
}

// judge fails a step on each of its grounds and names them; refusals on
// the merits (a sold-out product's 409) are named but fail nothing.
func TestJudgeNamesEveryReason(t *testing.T) {
	r := &Report{Rate: 50, Dropped: 3, Total: Outcomes{Requests: 10, OK: 6, Throttled: 2, Errors: 1, Rejected: 1}, P99: 310,
		Routes: []RouteReport{{Route: "home", P99: 120}, {Route: "search", P99: 450}}}
	s := judge(r, 300*time.Millisecond)
	for _, want := range []string{"1 failed", "2 throttled", "3 arrivals dropped", "p99 310.0 ms over 300ms (worst route search: 450.0 ms)"} {
		if !strings.Contains(s.Why, want) {
			t.Errorf("verdict %q lacks %q", s.Why, want)
		}
	}
	if s.Clean || s.WorstRoute != "search" {
		t.Errorf("step %+v: want not clean, worst route search", s)
	}
	soldOut := &Report{Total: Outcomes{Requests: 5, OK: 3, Rejected: 2},
		Routes: []RouteReport{{Route: "checkout", P99: 12, Outcomes: Outcomes{Requests: 5, OK: 3, Rejected: 2},
			Statuses: map[string]int{"200": 3, "409": 2}}}}
	if s := judge(soldOut, time.Second); !s.Clean || s.Refusals != "checkout 409 x2" || !strings.Contains(verdict(s), "2 refused on the merits") {
		t.Errorf("a run whose only refusals were sold-out checkouts judged %+v (%s)", s, verdict(s))
	}
}

func TestCapacityRefusesNonsense(t *testing.T) {
	for _, c := range []Capacity{{Start: 0, Max: 10, Factor: 2, P99: time.Second}, {Start: 10, Max: 5, Factor: 2, P99: time.Second},
		{Start: 1, Max: 10, Factor: 1, P99: time.Second}, {Start: 1, Max: 10, Factor: 2, Refine: 9, P99: time.Second}, {Start: 1, Max: 10, Factor: 2}} {
		if c.validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
