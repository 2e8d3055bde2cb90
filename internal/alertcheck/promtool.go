package alertcheck

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Coverage is what a promtool test file shows of one alert.
type Coverage struct {
	Fires  bool // some case expects it firing
	Silent bool // some case expects it silent (exp_alerts empty)
}

// TestCoverage reads a promtool test file and reports, per alert name,
// whether it is shown both firing and silent.
func TestCoverage(data []byte) (map[string]Coverage, error) {
	var f struct {
		Tests []struct {
			AlertRuleTest []struct {
				Alertname string           `yaml:"alertname"`
				ExpAlerts []map[string]any `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	out := map[string]Coverage{}
	for _, t := range f.Tests {
		for _, c := range t.AlertRuleTest {
			cov := out[c.Alertname]
			if len(c.ExpAlerts) > 0 {
				cov.Fires = true
			} else {
				cov.Silent = true
			}
			out[c.Alertname] = cov
		}
	}
	return out, nil
}

// Untested lists the manifest's alerts the test file does not show both
// firing and silent, and the alerts it tests that the manifest lacks.
func Untested(m RuleManifest, cov map[string]Coverage) []string {
	var out []string
	alerts := map[string]bool{}
	for _, a := range m.Alerts() {
		alerts[a.Alert] = true
		c := cov[a.Alert]
		if !c.Fires {
			out = append(out, a.Alert+" is never shown firing")
		}
		if !c.Silent {
			out = append(out, a.Alert+" is never shown silent on a healthy series")
		}
	}
	for name := range cov {
		if !alerts[name] {
			out = append(out, "the tests name "+name+", which "+m.Path+" does not define")
		}
	}
	sort.Strings(out)
	return out
}

// Promtool runs `promtool check rules` on the manifest's rules and `promtool
// test rules` on testFile, in a scratch directory holding both (the test
// file's rule_files name RuleFileName). The error carries promtool's
// output.
func Promtool(promtool, dir string, m RuleManifest, testFile string) error {
	if err := checkRules(promtool, dir, m); err != nil {
		return err
	}
	data, err := os.ReadFile(testFile)
	if err != nil {
		return err
	}
	test := filepath.Join(dir, filepath.Base(testFile))
	if err := os.WriteFile(test, data, 0o644); err != nil {
		return err
	}
	if out, err := run(dir, promtool, "test", "rules", test); err != nil {
		return fmt.Errorf("promtool test rules %s: %v\n%s", testFile, err, out)
	}
	return nil
}

func run(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// checkRules writes the manifest's rule file into dir and has promtool
// check it; the error carries promtool's output.
func checkRules(promtool, dir string, m RuleManifest) error {
	rules, err := m.WriteRuleFile(dir)
	if err != nil {
		return err
	}
	if out, err := run(dir, promtool, "check", "rules", rules); err != nil {
		return fmt.Errorf("promtool check rules %s: %v\n%s", m.Path, err, out)
	}
	return nil
}

// CheckQueries has promtool parse PromQL expressions that no rule file
// holds (dashboard panels): each becomes a recording rule of a scratch rule
// file in dir, named by its place in exprs.
func CheckQueries(promtool, dir string, exprs []string) error {
	group := RuleGroup{Name: "queries"}
	for i, e := range exprs {
		group.Rules = append(group.Rules, Rule{Record: fmt.Sprintf("query:n%d", i), Expr: e})
	}
	return checkRules(promtool, dir, RuleManifest{Path: "queries.yaml", Groups: []RuleGroup{group}})
}
