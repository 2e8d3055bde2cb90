package manifests_test

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/dashboards"
	"github.com/shipshape-dev/shipshape/internal/dbagent"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/metrics"
)

// patroniAPI is Debian's Patroni REST API module (make deps installs the
// package for test/dbha); its /metrics handler spells out every metric name.
const patroniAPI = "/usr/lib/python3/dist-packages/patroni/api.py"

var metricName = regexp.MustCompile(`\b(?:shipshape:[a-z0-9_:]+|(?:shipshape|patroni|grpc_server|http_requests?|pgxpool|process|kube|container|probe)_[a-z0-9_]+|up)\b`)

// clusterMetric: names kube-state-metrics, the kubelet's cAdvisor,
// blackbox_exporter and Prometheus itself write (kube_*, container_*,
// probe_*, up), which no code here exports; the add-ons' cluster tests
// check them against the scraped series.
var clusterMetric = regexp.MustCompile(`^(?:kube_[a-z0-9_]+|container_[a-z0-9_]+|probe_[a-z0-9_]+|up)$`)

// histogramSeries is the suffix of a histogram's series.
var histogramSeries = regexp.MustCompile(`_(?:bucket|count|sum)$`)

// TestAlertRulesNameExportedMetrics: an alert on a metric nobody exports
// never fires, silently. Every shipshape_* name in the rendered
// PrometheusRules must be one dbagent or orders exports, every patroni_*
// name one the installed Patroni's /metrics writes, every grpc_server_* and
// http_request* name one the services' chassis registers
// (internal/platform/metrics), every shipshape:* name one a recording rule
// writes, and every rule must name at least one.
func TestAlertRulesNameExportedMetrics(t *testing.T) {
	rules, known := exportedMetrics(t)
	alerts := 0
	for _, pr := range rules {
		for _, g := range pr.List("spec", "groups") {
			for _, raw := range manifestcheck.Object(g.(map[string]any)).List("rules") {
				rule := manifestcheck.Object(raw.(map[string]any))
				name := rule.Str("alert") + rule.Str("record")
				if rule.Str("alert") != "" {
					alerts++
				}
				if _, err := strconv.ParseFloat(rule.Str("expr"), 64); err == nil && rule.Str("record") != "" {
					continue // a recorded constant (an SLO's objective) needs no metric
				}
				checkMetricNames(t, pr.ID()+": rule "+name, rule.Str("expr"), known)
			}
		}
	}
	if alerts < 4 {
		t.Errorf("found %d alert rules, want the backup and availability alerts", alerts)
	}
}

// TestDashboardsNameExportedMetrics: a panel on a metric nobody exports is
// empty, silently. The same check as for the alert rules, over every query
// of the generated dashboards (the cluster test of deploy/addons/prometheus
// runs them against the scraped series).
func TestDashboardsNameExportedMetrics(t *testing.T) {
	_, known := exportedMetrics(t)
	queries, err := dashboards.ReadCommitted(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		checkMetricNames(t, "dashboard "+q.Panel, q.Expr, known)
	}
}

// exportedMetrics renders production's PrometheusRules and says which
// metric names something really writes: dbagent, orders, the services'
// chassis, the installed Patroni, a recording rule, or the cluster.
func exportedMetrics(t *testing.T) ([]manifestcheck.Object, func(string) bool) {
	src, err := os.ReadFile(patroniAPI)
	if err != nil {
		t.Fatalf("Patroni's source is needed to know its metrics (make deps installs it): %v", err)
	}
	patroniMetrics := metricName.FindAllString(string(src), -1)
	ours := slices.Concat(dbagent.MetricNames(), usecase.MetricNames(), metrics.Names())
	_, objs := render(t, "production")
	rules := manifestcheck.OfKind(objs, "PrometheusRule")
	if len(rules) == 0 {
		t.Fatal("production renders no PrometheusRule")
	}
	// Recording rules' names (the SLO ratios) are known once recorded.
	var recorded []string
	for _, pr := range rules {
		for _, g := range pr.List("spec", "groups") {
			for _, raw := range manifestcheck.Object(g.(map[string]any)).List("rules") {
				if name := manifestcheck.Object(raw.(map[string]any)).Str("record"); name != "" {
					recorded = append(recorded, name)
				}
			}
		}
	}
	return rules, func(n string) bool {
		base := histogramSeries.ReplaceAllString(n, "")
		return slices.Contains(ours, n) || slices.Contains(ours, base) || slices.Contains(patroniMetrics, n) ||
			slices.Contains(recorded, n) || clusterMetric.MatchString(n)
	}
}

// checkMetricNames fails when expr names no metric this test knows the
// prefix of, or one that nothing writes.
func checkMetricNames(t *testing.T, where, expr string, known func(string) bool) {
	t.Helper()
	names := metricName.FindAllString(expr, -1)
	if len(names) == 0 {
		t.Errorf("%s names no metric this test knows", where)
	}
	for _, n := range names {
		if !known(n) {
			t.Errorf("%s uses %s, which neither dbagent, orders, the services' chassis, Patroni nor a recording rule writes", where, n)
		}
	}
}
