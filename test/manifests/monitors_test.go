package manifests_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// TestPrometheusSelectsEveryMonitorAndRule: the Prometheus of
// deploy/addons/prometheus selects monitors and rules by one label; an
// object without it is never scraped or evaluated, and nothing says so.
// Every PodMonitor, ServiceMonitor, Probe and PrometheusRule the apps
// render must carry a value the selector accepts.
func TestPrometheusSelectsEveryMonitorAndRule(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(box(t).Root, "deploy", "addons", "prometheus", "prometheus-cr.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	crs, err := manifestcheck.Decode(raw)
	if err != nil || len(crs) != 1 {
		t.Fatalf("prometheus-cr.yaml: %d objects, %v", len(crs), err)
	}
	selectors := map[string]string{"PodMonitor": "podMonitorSelector", "ServiceMonitor": "serviceMonitorSelector", "Probe": "probeSelector", "PrometheusRule": "ruleSelector"}
	for _, overlay := range []string{"staging", "production"} {
		_, objs := render(t, overlay)
		seen := 0
		for kind, field := range selectors {
			exprs := crs[0].List("spec", field, "matchExpressions")
			if len(exprs) != 1 {
				t.Fatalf("%s: want one matchExpression to check against, got %v", field, exprs)
			}
			expr := manifestcheck.Object(exprs[0].(map[string]any))
			key, accepted := expr.Str("key"), expr.List("values")
			for _, o := range manifestcheck.OfKind(objs, kind) {
				seen++
				if v := o.Str("metadata", "labels", key); !slices.Contains(accepted, any(v)) {
					t.Errorf("%s: %s %s/%s has %s=%q; Prometheus selects %v", overlay, kind, o.Namespace(), o.Name(), key, v, accepted)
				}
			}
		}
		if seen < 4 {
			t.Errorf("%s renders only %d monitors and rules", overlay, seen)
		}
	}
}
