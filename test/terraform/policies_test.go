package terraform_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

// inRepoRoot makes the repository root the working directory, so that
// the policies' messages name files relative to it (as the fixtures expect).
func inRepoRoot(t *testing.T) string {
	t.Helper()
	regocheck := tool(t, manifestcheck.Regocheck)
	t.Chdir(repo(t).Root)
	return regocheck
}

func messages(failures []manifestcheck.PolicyFailure) []string {
	var msgs []string
	for _, f := range failures {
		msgs = append(msgs, f.Msg)
	}
	return msgs
}

// TestTerraformPassesPolicies: every .tf file under infra/terraform,
// together, passes every Terraform policy.
func TestTerraformPassesPolicies(t *testing.T) {
	regocheck := inRepoRoot(t)
	var files []string
	err := filepath.WalkDir(terraformcheck.Root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tf") {
			files = append(files, filepath.ToSlash(path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d .tf files under %s", len(files), terraformcheck.Root)
	}
	failures, err := terraformcheck.Policies(regocheck, files...)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range messages(failures) {
		t.Error(msg)
	}
}

// TestTerraformPolicyFixtures: each fixture fails with exactly the
// messages its "# expect:" lines list, and every policy package is failed
// by some fixture.
func TestTerraformPolicyFixtures(t *testing.T) {
	regocheck := inRepoRoot(t)
	fixtures, err := filepath.Glob(filepath.Join(terraformcheck.FixtureDir, "*.tf"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures in %s: %v", terraformcheck.FixtureDir, err)
	}
	exercised := map[string]bool{}
	for _, pkg := range policyPackages(t) {
		exercised[pkg] = false
	}
	if len(exercised) < 7 {
		t.Fatalf("found only %d policy packages: %v", len(exercised), exercised)
	}
	for _, file := range fixtures {
		want, err := manifestcheck.FixtureExpectations(file)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Errorf("%s: a fixture must expect at least one failure", file)
		}
		failures, err := terraformcheck.Policies(regocheck, filepath.ToSlash(file))
		if err != nil {
			t.Fatal(err)
		}
		got := messages(failures)
		for _, msg := range want {
			if !slices.Contains(got, msg) {
				t.Errorf("%s: missing failure: %s", file, msg)
			}
		}
		for _, msg := range got {
			if !slices.Contains(want, msg) {
				t.Errorf("%s: unexpected failure: %s", file, msg)
			}
		}
		for _, f := range failures {
			exercised[f.Namespace] = true
		}
	}
	for pkg, ok := range exercised {
		if !ok {
			t.Errorf("policy %s has no fixture that fails it", pkg)
		}
	}
}

// policyPackages lists the packages of the policy files that deny.
func policyPackages(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(terraformcheck.PolicyDir, "*.rego"))
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "deny contains") {
			continue
		}
		for line := range strings.Lines(string(data)) {
			if pkg, ok := strings.CutPrefix(strings.TrimSpace(line), "package "); ok {
				pkgs = append(pkgs, pkg)
			}
		}
	}
	return pkgs
}
