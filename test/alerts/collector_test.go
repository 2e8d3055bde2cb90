package alerts_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// collectorTelemetry are the collector's packages whose generated code
// names the internal metrics the telemetry-pipeline alerts use.
var collectorTelemetry = []string{
	"go.opentelemetry.io/collector/exporter/exporterhelper",
	"go.opentelemetry.io/collector/receiver/receiverhelper",
}

var (
	otelcolName  = regexp.MustCompile(`\botelcol_[a-z0-9_]+\b`)
	addonVersion = regexp.MustCompile(`(?m)^VERSION=(\S+)`)
)

// TestCollectorAlertsNameItsMetrics: an alert on a metric the collector
// does not export never fires. Every otelcol_* name in the add-on's rules
// must be one the pinned collector release's own telemetry code declares
// (a counter's Prometheus name adds _total).
func TestCollectorAlertsNameItsMetrics(t *testing.T) {
	r := repo(t)
	env, err := os.ReadFile(r.Path("deploy", "addons", "otel-collector", "addon.env"))
	if err != nil {
		t.Fatal(err)
	}
	m := addonVersion.FindSubmatch(env)
	if m == nil {
		t.Fatal("deploy/addons/otel-collector/addon.env names no VERSION")
	}
	known := map[string]bool{}
	for _, mod := range collectorTelemetry {
		dir, err := manifestcheck.ModuleDir(mod, string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(filepath.Join(dir, "internal", "metadata", "generated_telemetry.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range otelcolName.FindAllString(string(src), -1) {
			known[name], known[name+"_total"] = true, true
		}
	}
	if !known["otelcol_exporter_send_failed_spans_total"] {
		t.Fatalf("the collector's telemetry code no longer names otelcol_exporter_send_failed_spans; found %d names", len(known)/2)
	}
	rules, err := os.ReadFile(r.Path("deploy", "addons", "otel-collector", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	used := otelcolName.FindAllString(string(rules), -1)
	if len(used) == 0 {
		t.Fatal("the telemetry-pipeline rules name no collector metric")
	}
	for _, name := range used {
		if !known[name] {
			t.Errorf("rules.yaml uses %s, which collector %s does not export", name, m[1])
		}
	}
}
