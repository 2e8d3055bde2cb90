package e2e_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/loadgen"
)

// The load generator, run briefly with the shop mix through the gateway
// against every real service, serves every arrival and writes a report of
// the documented shape.
func TestLoadGeneratorAgainstTheStack(t *testing.T) {
	s := startSystem(t)
	api := startGateway(t, s)
	mix, err := loadgen.ReadMix("")
	if err != nil {
		t.Fatal(err)
	}
	r, err := loadgen.Run(t.Context(), loadgen.Options{API: api, Mix: mix, Rate: 20, Ramp: time.Second, Steady: 3 * time.Second,
		Users: 20, MaxInFlight: 200, Timeout: 10 * time.Second, SpreadClients: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r.Markdown())
	if !r.Clean() || r.Total.Requests < r.Arrivals {
		t.Fatalf("not every arrival was served: %+v", r.Total)
	}
	started := 0
	for _, n := range r.Journeys {
		started += n
	}
	if int64(started)+r.Dropped != int64(r.Arrivals) || r.Arrivals < 60 {
		t.Fatalf("%d journeys + %d dropped != %d arrivals (want about 70)", started, r.Dropped, r.Arrivals)
	}
	routes := map[string]bool{}
	for _, j := range mix.Journeys {
		for _, st := range j.Steps {
			routes[st.Route] = true
		}
	}
	for _, x := range r.Routes {
		if !routes[x.Route] || x.P50 <= 0 || x.P50 > x.P99 || x.P99 > x.Max {
			t.Errorf("route %+v: unknown, or quantiles out of order", x)
		}
	}
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"api", "ratePerSecond", "arrivals", "dropped", "journeys", "routes", "total"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("report.json lacks %q", key)
		}
	}
	route := doc["routes"].([]any)[0].(map[string]any)
	keys := []string{}
	for k := range route {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"errors", "maxMs", "ok", "p50Ms", "p95Ms", "p99Ms", "rejected", "requests", "route", "statuses", "throttled"}
	if !slices.Equal(keys, want) {
		t.Errorf("a route's keys %v, want %v", keys, want)
	}
}
