package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FixtureDir holds manifests that must fail the policies; each lists the
// exact failures it must produce in "# expect: <message>" lines.
const FixtureDir = "deploy/policies/fixtures"

func fixtureExpectations(t *testing.T, file string) []string {
	t.Helper()
	want, err := manifestcheck.FixtureExpectations(file)
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// TestPolicyFixtures runs the policies over every fixture: each must fail
// with exactly its expected messages, each naming the offending object.
func TestPolicyFixtures(t *testing.T) {
	tb := box(t)
	files, err := filepath.Glob(tb.Path(filepath.FromSlash(FixtureDir), "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s: %v", FixtureDir, err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			t.Parallel()
			want := fixtureExpectations(t, file)
			if len(want) == 0 {
				t.Fatal("a fixture must expect at least one failure")
			}
			failures, err := tb.PolicyFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range failures {
				got = append(got, f.Msg)
			}
			for _, msg := range want {
				if !slices.Contains(got, msg) {
					t.Errorf("missing failure: %s", msg)
				}
			}
			for _, msg := range got {
				if !slices.Contains(want, msg) {
					t.Errorf("unexpected failure: %s", msg)
				}
			}
		})
	}
}

// TestEveryPolicyHasAFailingFixture: each policy file's package must be
// the source of at least one fixture's failure.
func TestEveryPolicyHasAFailingFixture(t *testing.T) {
	tb := box(t)
	policies, err := filepath.Glob(tb.Path(filepath.FromSlash(manifestcheck.PolicyDir), "*.rego"))
	if err != nil {
		t.Fatal(err)
	}
	packages := map[string]bool{}
	for _, p := range policies {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			if pkg, ok := strings.CutPrefix(strings.TrimSpace(line), "package "); ok && strings.Contains(string(data), "deny contains") {
				packages[pkg] = false
			}
		}
	}
	if len(packages) < 7 {
		t.Fatalf("found only %d policy packages: %v", len(packages), packages)
	}
	fixtures, _ := filepath.Glob(tb.Path(filepath.FromSlash(FixtureDir), "*.yaml"))
	for _, file := range fixtures {
		failures, err := tb.PolicyFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range failures {
			packages[f.Namespace] = true
		}
	}
	for pkg, exercised := range packages {
		if !exercised {
			t.Errorf("policy %s has no fixture that fails it", pkg)
		}
	}
}
