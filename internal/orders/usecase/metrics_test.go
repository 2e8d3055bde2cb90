package usecase_test

import (
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
)

// MetricNames is what alert rules are checked against, so it must list
// exactly what the registry exports.
func TestMetricNamesMatchTheRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	usecase.NewMetrics(reg)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var exported []string
	for _, f := range families {
		exported = append(exported, f.GetName())
	}
	if got, want := slices.Sorted(slices.Values(exported)), slices.Sorted(slices.Values(usecase.MetricNames())); !slices.Equal(got, want) {
		t.Fatalf("exported %v\nMetricNames %v", got, want)
	}
}

// metric returns the value of a metric without labels in reg.
func metric(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		m := f.GetMetric()[0]
		if c := m.GetCounter(); c != nil {
			return c.GetValue()
		}
		return m.GetGauge().GetValue()
	}
	t.Fatalf("no metric %s", name)
	return 0
}
