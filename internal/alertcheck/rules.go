package alertcheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// RuleManifest is one PrometheusRule found in a manifest file.
type RuleManifest struct {
	Path   string // the manifest file
	Name   string // metadata.name
	Groups []RuleGroup
}

// RuleGroup and Rule are the parts of a PrometheusRule's spec (and of a
// Prometheus rule file) the checks read.
type RuleGroup struct {
	Name     string `yaml:"name"`
	Interval string `yaml:"interval,omitempty"`
	Rules    []Rule `yaml:"rules"`
}

type Rule struct {
	Alert       string            `yaml:"alert,omitempty"`
	Record      string            `yaml:"record,omitempty"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

// Alerts lists the manifest's alerting rules.
func (m RuleManifest) Alerts() []Rule {
	var out []Rule
	for _, g := range m.Groups {
		for _, r := range g.Rules {
			if r.Alert != "" {
				out = append(out, r)
			}
		}
	}
	return out
}

// TestFile is where the manifest's promtool tests live:
// tests/<file>.test.yaml beside it (one rule file per manifest file).
func (m RuleManifest) TestFile() string {
	base := strings.TrimSuffix(filepath.Base(m.Path), filepath.Ext(m.Path))
	return filepath.Join(filepath.Dir(m.Path), "tests", base+".test.yaml")
}

// RuleFileName is the name promtool tests give in rule_files: the
// manifest's file name, holding its spec as a Prometheus rule file.
func (m RuleManifest) RuleFileName() string { return filepath.Base(m.Path) }

// FindRuleManifests walks dirs (below root) for YAML files holding
// PrometheusRules. Files under a tests folder are promtool tests, not
// manifests.
func FindRuleManifests(root string, dirs ...string) ([]RuleManifest, error) {
	var out []RuleManifest
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "tests" {
				return filepath.SkipDir
			}
			if d.IsDir() || (!strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml")) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if !bytes.Contains(data, []byte("kind: PrometheusRule")) {
				return nil
			}
			found, err := ParseRuleManifests(p, data)
			out = append(out, found...)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ParseRuleManifests reads the PrometheusRules of one YAML stream.
func ParseRuleManifests(path string, data []byte) ([]RuleManifest, error) {
	var out []RuleManifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc struct {
			Kind     string `yaml:"kind"`
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
			Spec struct {
				Groups []RuleGroup `yaml:"groups"`
			} `yaml:"spec"`
		}
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if doc.Kind == "PrometheusRule" {
			out = append(out, RuleManifest{Path: path, Name: doc.Metadata.Name, Groups: doc.Spec.Groups})
		}
	}
}

// WriteRuleFile writes the manifest's groups as a Prometheus rule file
// (what the operator hands Prometheus) into dir, under RuleFileName.
func (m RuleManifest) WriteRuleFile(dir string) (string, error) {
	data, err := yaml.Marshal(map[string]any{"groups": m.Groups})
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, m.RuleFileName())
	return p, os.WriteFile(p, data, 0o644)
}
