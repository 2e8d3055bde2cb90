package terraform_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

// modules lists infra/terraform/modules/*.
func modules(t testing.TB) []*terraformcheck.Module {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(tfRoot(t), "modules", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []*terraformcheck.Module
	for _, d := range dirs {
		m, err := terraformcheck.LoadModule(d)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestProviderFreeModules: what Terraform itself can prove here. A module
// that needs no provider is initialised, validated and its `terraform
// test` files run (cluster-sizing: the node group's validations). Modules
// with providers cannot even be initialised without the registry; their
// tests (mock providers) run in CI (.github/workflows/terraform.yml).
func TestProviderFreeModules(t *testing.T) {
	t.Parallel()
	var free int
	for _, m := range modules(t) {
		tests, _ := filepath.Glob(filepath.Join(m.Dir, "tests", "*.tftest.hcl"))
		if len(tests) == 0 {
			t.Errorf("%s: no tests/*.tftest.hcl", m.Dir)
		}
		if !m.ProviderFree() {
			continue
		}
		free++
		t.Run(filepath.Base(m.Dir), func(t *testing.T) {
			data := t.TempDir()
			r := repo(t)
			run(t, terraformcheck.Terraform(r, data, m.Dir, "init", "-backend=false", "-input=false", "-no-color"))
			run(t, terraformcheck.Terraform(r, data, m.Dir, "validate", "-no-color"))
			out := run(t, terraformcheck.Terraform(r, data, m.Dir, "test", "-no-color"))
			if !strings.Contains(out, "Success!") || strings.Contains(out, " 0 passed") {
				t.Fatalf("terraform test ran nothing:\n%s", out)
			}
			t.Log(lastLine(out))
		})
	}
	if free == 0 {
		t.Fatal("no provider-free module: the node group's validations must be testable offline")
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
