package alertcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

const manifest = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: demo}
spec:
  groups:
    - name: demo
      rules:
        - alert: DemoDown
          expr: EXPR
          labels: {severity: critical}
          annotations:
            summary: demo is down
            runbook_url: ` + RunbookBase + `docs/runbooks/demo.md
`

const tests = `rule_files: [demo.yaml]
tests:
  - interval: 1m
    input_series:
      - {series: 'up{job="demo"}', values: '0x10'}
    alert_rule_test:
      - eval_time: 5m
        alertname: DemoDown
        exp_alerts:
          - exp_labels: {severity: critical, job: demo}
            exp_annotations: {summary: demo is down, runbook_url: "` + RunbookBase + `docs/runbooks/demo.md"}
  - interval: 1m
    input_series:
      - {series: 'up{job="demo"}', values: '1x10'}
    alert_rule_test:
      - {eval_time: 5m, alertname: DemoDown, exp_alerts: []}
`

// fixture writes the demo rule with expr into dir and parses it back.
func fixture(t *testing.T, expr string) (RuleManifest, string) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "demo.yaml")
	if err := os.WriteFile(src, []byte(strings.Replace(manifest, "EXPR", expr, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tests"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tests", "demo.test.yaml"), []byte(tests), 0o644); err != nil {
		t.Fatal(err)
	}
	found, err := FindRuleManifests(dir, ".")
	if err != nil || len(found) != 1 {
		t.Fatalf("found %v, %v; want the demo rule", found, err)
	}
	return found[0], dir
}

func promtool(t *testing.T) string {
	t.Helper()
	r, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := r.EnsureTool(manifestcheck.Promtool)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestPromtoolPassesAGoodRuleAndFailsABrokenOrWrongOne(t *testing.T) {
	bin := promtool(t)
	m, _ := fixture(t, "up == 0")
	if err := Promtool(bin, t.TempDir(), m, m.TestFile()); err != nil {
		t.Fatalf("a correct rule and test: %v", err)
	}
	m, _ = fixture(t, "up ==== 0")
	if err := Promtool(bin, t.TempDir(), m, m.TestFile()); err == nil || !strings.Contains(err.Error(), "check rules") {
		t.Fatalf("a rule that does not parse: got %v, want promtool check rules to fail", err)
	}
	// valid PromQL, but the alert never fires where the test expects it
	m, _ = fixture(t, "up == 2")
	if err := Promtool(bin, t.TempDir(), m, m.TestFile()); err == nil || !strings.Contains(err.Error(), "test rules") {
		t.Fatalf("a rule its test contradicts: got %v, want promtool test rules to fail", err)
	}
}

func TestUntestedNamesAlertsNotShownFiringAndSilent(t *testing.T) {
	m, _ := fixture(t, "up == 0")
	cov, err := TestCoverage([]byte(tests))
	if err != nil {
		t.Fatal(err)
	}
	if gaps := Untested(m, cov); len(gaps) != 0 {
		t.Fatalf("fully tested rule: gaps %v", gaps)
	}
	onlyFiring := map[string]Coverage{"DemoDown": {Fires: true}, "Gone": {Fires: true, Silent: true}}
	gaps := strings.Join(Untested(m, onlyFiring), "\n")
	for _, want := range []string{"DemoDown is never shown silent", "the tests name Gone"} {
		if !strings.Contains(gaps, want) {
			t.Errorf("gaps %q lack %q", gaps, want)
		}
	}
}

func TestCheckAnnotations(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "docs", "runbooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "docs", "runbooks", "demo.md"), []byte("# demo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := Rule{Alert: "A", Labels: map[string]string{"severity": "warning"},
		Annotations: map[string]string{"summary": "s", "runbook_url": RunbookBase + "docs/runbooks/demo.md"}}
	if errs := CheckAnnotations(root, good); len(errs) != 0 {
		t.Fatalf("complete alert: %v", errs)
	}
	for name, tc := range map[string]struct {
		rule Rule
		want string
	}{
		"no severity":     {Rule{Alert: "A", Annotations: good.Annotations}, "severity"},
		"no summary":      {Rule{Alert: "A", Labels: good.Labels, Annotations: map[string]string{"runbook_url": good.Annotations["runbook_url"]}}, "summary"},
		"missing runbook": {Rule{Alert: "A", Labels: good.Labels, Annotations: map[string]string{"summary": "s", "runbook_url": RunbookBase + "docs/runbooks/nope.md"}}, "names no file"},
		"elsewhere":       {Rule{Alert: "A", Labels: good.Labels, Annotations: map[string]string{"summary": "s", "runbook_url": "https://wiki.example/x"}}, "is not under"},
	} {
		errs := CheckAnnotations(root, tc.rule)
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%s: errors %v, want one naming %q", name, errs, tc.want)
		}
	}
}
