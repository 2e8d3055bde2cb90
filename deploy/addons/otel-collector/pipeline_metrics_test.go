//go:build cluster

package otelcollector_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// TestCollectorsReportToPrometheus: Prometheus scrapes both collectors
// (podmonitors.yaml, through the namespaces' network policies), and after a
// checkout their own counters show spans delivered to Jaeger and log
// records delivered to VictoriaLogs: the series the telemetry-pipeline
// alerts divide and compare exist under the names and labels they use.
func TestCollectorsReportToPrometheus(t *testing.T) {
	checkout(t, "metered-"+uuid.NewString())
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	want := []struct{ expr, namespace, exporter string }{
		{"sum by (namespace, exporter) (otelcol_exporter_sent_spans_total)", "observability", "otlp/jaeger"},
		{"sum by (namespace, exporter) (otelcol_exporter_sent_log_records_total)", "log-collection", "otlphttp/victorialogs"},
		{"max by (namespace, exporter) (otelcol_exporter_queue_capacity)", "log-collection", "otlphttp/victorialogs"},
	}
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "the collectors' own metrics in Prometheus", func() error {
		up, err := clustertest.Query(prom, `up{namespace=~"observability|log-collection", pod=~"otel-collector.*"}`)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, s := range up {
			if s.Value != 1 {
				return fmt.Errorf("collector %s/%s is not up", s.Labels["namespace"], s.Labels["pod"])
			}
			seen[s.Labels["namespace"]] = true
		}
		if !seen["observability"] || !seen["log-collection"] {
			return fmt.Errorf("scraped collectors: %v, want both the trace and the log collector", up)
		}
		var missing []string
		for _, w := range want {
			samples, err := clustertest.Query(prom, w.expr)
			if err != nil {
				return err
			}
			found := false
			for _, s := range samples {
				found = found || (s.Labels["namespace"] == w.namespace && s.Labels["exporter"] == w.exporter && s.Value > 0)
			}
			if !found {
				missing = append(missing, fmt.Sprintf("%s: nothing above 0 for %s/%s (got %v)", w.expr, w.namespace, w.exporter, samples))
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s", strings.Join(missing, "\n"))
		}
		return nil
	})
}
