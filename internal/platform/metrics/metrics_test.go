package metrics

import (
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// find gathers reg and returns the metric family called name with the
// sample whose labels include all of want, or fails the test.
func find(t *testing.T, reg prometheus.Gatherer, name string, want map[string]string) *dto.Metric {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, lp := range m.GetLabel() {
				got[lp.GetName()] = lp.GetValue()
			}
			for k, v := range want {
				if got[k] != v {
					continue next
				}
			}
			return m
		}
	}
	t.Fatalf("no %s%v", name, want)
	return nil
}

func TestNewRegistryHasRuntimeCollectors(t *testing.T) {
	reg := NewRegistry()
	if v := find(t, reg, "go_goroutines", nil).GetGauge().GetValue(); v < 1 {
		t.Fatalf("go_goroutines = %v", v)
	}
	if v := find(t, reg, "process_resident_memory_bytes", nil).GetGauge().GetValue(); v <= 0 {
		t.Fatalf("process_resident_memory_bytes = %v", v)
	}
}

func TestRegisterTwiceSharesCollectors(t *testing.T) {
	reg := prometheus.NewRegistry()
	a, b := NewGRPCServer(reg), NewGRPCServer(reg)
	if a.handled != b.handled {
		t.Fatal("second NewGRPCServer did not reuse the registered collector")
	}
	h1, h2 := NewHTTPServer(reg), NewHTTPServer(reg)
	if h1.inFlight != h2.inFlight {
		t.Fatal("second NewHTTPServer did not reuse the registered collector")
	}
}

func TestRegisterPanicsOnConflict(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewGauge(prometheus.GaugeOpts{Name: "http_requests_in_flight", Help: "other help"}))
	defer func() {
		if recover() == nil {
			t.Fatal("conflicting registration did not panic")
		}
	}()
	NewHTTPServer(reg)
}

func TestNamesListsTheREDMetrics(t *testing.T) {
	got := Names()
	for _, want := range []string{"http_requests_total", "http_request_duration_seconds", "http_requests_in_flight",
		"grpc_server_started_total", "grpc_server_handled_total", "grpc_server_handling_seconds"} {
		if !slices.Contains(got, want) {
			t.Errorf("Names() = %v, lacks %s", got, want)
		}
	}
}
