package terraform_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

// tflint runs the pinned tflint with infra/terraform/.tflint.hcl over dir
// and every module below it.
func tflint(t *testing.T, dir string) (string, error) {
	t.Helper()
	cmd := exec.Command(tool(t, terraformcheck.Tflint), "--recursive", "--format", "compact", "--no-color",
		"--config", repo(t).Path("infra", "terraform", ".tflint.hcl"))
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "TFLINT_PLUGIN_DIR="+t.TempDir()) // the built-in rules only
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestTflint: every module and root passes tflint's built-in Terraform
// rules (preset all: typed, documented variables and outputs, version
// constraints, naming, no unused declarations, standard module structure).
func TestTflint(t *testing.T) {
	t.Parallel()
	if out, err := tflint(t, tfRoot(t)); err != nil {
		t.Fatalf("tflint: %v\n%s", err, out)
	}
}

// TestTflintFindsProblems: the same run reports an untyped, undescribed
// variable and an unused local, so TestTflint's pass means something.
func TestTflintFindsProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "main.tf", "terraform {\n  required_version = \">= 1.11.0\"\n}\n\nlocals {\n  unused = 1\n}\n\nvariable \"x\" {}\n")
	out, err := tflint(t, dir)
	if err == nil {
		t.Fatalf("tflint accepted a module with problems:\n%s", out)
	}
	for _, rule := range []string{"terraform_typed_variables", "terraform_documented_variables", "terraform_unused_declarations"} {
		if !strings.Contains(out, rule) {
			t.Errorf("tflint did not report %s:\n%s", rule, out)
		}
	}
}
