package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/dbagent"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/metrics"
)

// patroniAPI is Debian's Patroni REST API module (make deps installs the
// package for test/dbha); its /metrics handler spells out every metric name.
const patroniAPI = "/usr/lib/python3/dist-packages/patroni/api.py"

var metricName = regexp.MustCompile(`\b(?:shipshape:[a-z0-9_:]+|(?:shipshape|patroni|grpc_server|http_requests?|kube)_[a-z0-9_]+|up)\b`)

// clusterMetric: names kube-state-metrics and Prometheus itself write
// (kube_*, up), which no code here exports; the cluster test of
// deploy/addons/prometheus checks them against the scraped series.
var clusterMetric = regexp.MustCompile(`^(?:kube_[a-z0-9_]+|up)$`)

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
	alerts := 0
	for _, pr := range rules {
		for _, g := range pr.List("spec", "groups") {
			for _, raw := range manifestcheck.Object(g.(map[string]any)).List("rules") {
				rule := manifestcheck.Object(raw.(map[string]any))
				name := rule.Str("alert") + rule.Str("record")
				if rule.Str("alert") != "" {
					alerts++
				}
				names := metricName.FindAllString(rule.Str("expr"), -1)
				if _, err := strconv.ParseFloat(rule.Str("expr"), 64); err == nil && rule.Str("record") != "" {
					continue // a recorded constant (an SLO's objective) needs no metric
				}
				if len(names) == 0 {
					t.Errorf("%s: rule %s names no metric this test knows", pr.ID(), name)
				}
				for _, n := range names {
					base := histogramSeries.ReplaceAllString(n, "")
					known := slices.Contains(ours, n) || slices.Contains(ours, base) || slices.Contains(patroniMetrics, n) ||
						slices.Contains(recorded, n) || clusterMetric.MatchString(n)
					if !known {
						t.Errorf("%s: rule %s uses %s, which neither dbagent, orders, the services' chassis, Patroni nor a recording rule writes", pr.ID(), name, n)
					}
				}
			}
		}
	}
	if alerts < 4 {
		t.Errorf("found %d alert rules, want the backup and availability alerts", alerts)
	}
}
