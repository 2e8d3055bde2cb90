package dashboards

import (
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Dashboard is one generated dashboard: its name (the file and the uid's
// suffix) and its definition.
type Dashboard struct {
	Name  string
	Build func() *dashboard.DashboardBuilder
}

// All lists every dashboard shipshape ships: the overview, one per
// workload, checkout, the SLOs, PostgreSQL and Kubernetes resources.
func All() []Dashboard {
	all := []Dashboard{
		{"overview", overview},
		{"checkout", checkout},
		{"slos", slos},
		{"postgres", postgres},
		{"kubernetes", kubernetes},
	}
	for _, w := range workloads {
		all = append(all, Dashboard{"service-" + w.name, func() *dashboard.DashboardBuilder { return service(w) }})
	}
	return all
}

// Render is a dashboard's JSON model as Grafana imports it.
func Render(d Dashboard) ([]byte, error) {
	model, err := d.Build().Build()
	if err != nil {
		return nil, fmt.Errorf("dashboard %s: %w", d.Name, err)
	}
	out, err := json.MarshalIndent(model, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("dashboard %s: %w", d.Name, err)
	}
	return append(out, '\n'), nil
}
