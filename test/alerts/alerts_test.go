// Package alerts_test checks every alert rule and the Alertmanager
// configuration of the repository with promtool and amtool (pinned in
// tools/go.mod), as make test runs it: a broken rule, an
// untested alert, an alert without severity, summary or runbook, or a
// misrouted severity fails here and never reaches a cluster.
package alerts_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/alertcheck"
	"github.com/shipshape-dev/shipshape/internal/dashboards"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/slo"
)

// ruleDirs are where PrometheusRules live: the apps' monitoring component
// and the cluster add-ons.
var ruleDirs = []string{"deploy/kubernetes", "deploy/addons"}

func repo(t *testing.T) manifestcheck.Repo {
	t.Helper()
	r, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func tool(t *testing.T, r manifestcheck.Repo, tl manifestcheck.Tool) string {
	t.Helper()
	bin, err := r.EnsureTool(tl)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestEveryAlertRuleIsTestedWithPromtool(t *testing.T) {
	r := repo(t)
	promtool := tool(t, r, manifestcheck.Promtool)
	manifests, err := alertcheck.FindRuleManifests(r.Root, ruleDirs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(manifests) < 3 {
		t.Fatalf("found %d PrometheusRules, want at least the postgres, orders and services rules", len(manifests))
	}
	for _, m := range manifests {
		rel, _ := filepath.Rel(r.Root, m.Path)
		t.Run(rel, func(t *testing.T) {
			for _, a := range m.Alerts() {
				for _, err := range alertcheck.CheckAnnotations(r.Root, a) {
					t.Error(err)
				}
			}
			data, err := os.ReadFile(m.TestFile())
			if err != nil {
				t.Fatalf("every rule file has promtool tests beside it: %v", err)
			}
			cov, err := alertcheck.TestCoverage(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, gap := range alertcheck.Untested(m, cov) {
				t.Error(gap)
			}
			if err := alertcheck.Promtool(promtool, t.TempDir(), m, m.TestFile()); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestAlertmanagerRoutesBySeverity(t *testing.T) {
	r := repo(t)
	amtool := tool(t, r, manifestcheck.Amtool)
	config := r.Path("deploy", "addons", "alertmanager", "alertmanager.yaml")
	if err := alertcheck.CheckConfig(amtool, config); err != nil {
		t.Fatal(err)
	}
	cases, err := alertcheck.ReadRouteCases(r.Path("deploy", "addons", "alertmanager", "routes.test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Every severity an alert may carry is routed by some case.
	routed := map[string]bool{}
	for _, c := range cases {
		routed[c.Labels["severity"]] = true
		if err := alertcheck.TestRoute(amtool, config, c); err != nil {
			t.Error(err)
		}
	}
	for _, s := range alertcheck.Severities {
		if !routed[s] {
			t.Errorf("no routing case for severity %q", s)
		}
	}
}

// The SLO rules are generated from slos.yaml and gateway/routes.yaml: a
// change to either without `make generate` fails here.
func TestSLORulesAreGenerated(t *testing.T) {
	if err := slo.Write(".", true); err != nil {
		t.Fatal(err)
	}
}

// The dashboards are generated from internal/dashboards, every panel's
// PromQL parses (promtool), and the monitoring component ships exactly the
// generated files as ConfigMaps.
func TestDashboardsAreGeneratedAndParse(t *testing.T) {
	if err := dashboards.Write(".", true); err != nil {
		t.Fatal(err)
	}
	r := repo(t)
	queries, err := dashboards.ReadCommitted(r.Root)
	if err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for _, q := range queries {
		exprs = append(exprs, dashboards.ForPrometheus(q.Expr, "5m"))
	}
	if err := alertcheck.CheckQueries(tool(t, r, manifestcheck.Promtool), t.TempDir(), exprs); err != nil {
		t.Fatal(err)
	}
	// The monitoring component's kustomization, beside the dashboards' folder.
	kustomization, err := os.ReadFile(filepath.Join(filepath.Dir(r.Path(dashboards.Dir...)), "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dashboards.All() {
		names = append(names, d.Name)
	}
	listed := regexp.MustCompile(`files: \[dashboards/([a-z0-9-]+)\.json\]`).FindAllStringSubmatch(string(kustomization), -1)
	var shipped []string
	for _, m := range listed {
		shipped = append(shipped, m[1])
	}
	slices.Sort(names)
	slices.Sort(shipped)
	if !slices.Equal(names, shipped) {
		t.Errorf("the monitoring component ships dashboards %v, generated are %v", shipped, names)
	}
}
