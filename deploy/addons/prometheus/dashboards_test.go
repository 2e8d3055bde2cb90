//go:build cluster

package prometheus_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/dashboards"
)

// selectedMetric is a metric name with its selector in a query: every
// dashboard query names its metrics that way.
var selectedMetric = regexp.MustCompile(`([a-zA-Z_:][a-zA-Z0-9_:]*)\{`)

// TestEveryDashboardPanelHasData: after shop traffic (a checkout through
// the gateway, storefront pages), every query of every generated dashboard,
// run by this cluster's Prometheus, returns at least one series, and every
// metric a dashboard names is one Prometheus has scraped or recorded.
func TestEveryDashboardPanelHasData(t *testing.T) {
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	clustertest.Checkout(t, nil)
	web := clustertest.ServiceURL(t, "shipshape", "web", 3000)
	for _, page := range []string{"/", "/search?q=lantern", "/no-such-page"} {
		if _, err := clustertest.Get(web + page); err != nil && !strings.Contains(err.Error(), "404") {
			t.Fatalf("storefront %s: %v", page, err)
		}
	}
	queries, err := dashboards.ReadCommitted(".")
	if err != nil {
		t.Fatal(err)
	}

	// Rates need two scrapes (30 s apart) inside their window.
	clustertest.Poll(t, 4*time.Minute, 10*time.Second, "data in every dashboard panel", func() error {
		var names struct{ Data []string }
		if err := clustertest.GetJSON(prom+"/api/v1/label/__name__/values", &names); err != nil {
			return err
		}
		scraped := map[string]bool{}
		for _, n := range names.Data {
			scraped[n] = true
		}
		var problems []string
		for _, q := range queries {
			for _, m := range selectedMetric.FindAllStringSubmatch(q.Expr, -1) {
				if !scraped[m[1]] {
					problems = append(problems, fmt.Sprintf("%s: no series of %s at all", q.Panel, m[1]))
				}
			}
			expr := dashboards.ForPrometheus(q.Expr, "5m")
			result, err := clustertest.Query(prom, expr)
			if err != nil {
				return fmt.Errorf("%s: %v", q.Panel, err)
			}
			if len(result) == 0 {
				problems = append(problems, fmt.Sprintf("%s: empty: %s", q.Panel, expr))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%d of %d queries:\n%s", len(problems), len(queries), strings.Join(problems, "\n"))
		}
		return nil
	})
	t.Logf("%d queries of %d dashboards return data", len(queries), len(dashboards.All()))
}
