package terraform_test

import (
	"os/exec"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

// TestFormat: every .tf and .tftest.hcl file under infra/terraform is as
// terraform fmt writes it.
func TestFormat(t *testing.T) {
	t.Parallel()
	cmd := terraformcheck.Terraform(repo(t), t.TempDir(), tfRoot(t), "fmt", "-check", "-recursive", "-diff", "-no-color")
	run(t, cmd)
}

// TestFormatRefusesUnformatted: the same command fails on a badly
// indented file, so TestFormat's pass means something.
func TestFormatRefusesUnformatted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "main.tf", "locals {\nx=1\n      y = 2\n}\n")
	cmd := terraformcheck.Terraform(repo(t), t.TempDir(), dir, "fmt", "-check", "-recursive", "-no-color")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("terraform fmt -check accepted an unformatted file:\n%s", out)
	} else if _, ok := err.(*exec.ExitError); !ok {
		t.Fatal(err)
	}
}
