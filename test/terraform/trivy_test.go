package terraform_test

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

type trivyFinding struct {
	Target, ID, Severity, Title string
}

// trivy runs trivy's Terraform checks offline (the checks built into the
// pinned module, through tools/iac/misconfig) over dir and returns what
// it found. Accepted findings are ignored where they
// are, each with its reason (#trivy:ignore:<ID> above the resource).
func trivy(t *testing.T, dir string) []trivyFinding {
	t.Helper()
	cmd := exec.Command(tool(t, terraformcheck.Trivy), dir)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if exit, ok := err.(*exec.ExitError); ok {
			stderr = string(exit.Stderr)
		}
		t.Fatalf("%s: %v\n%s", cmd, err, stderr)
	}
	var report struct {
		Results []struct {
			Target            string
			Misconfigurations []struct {
				ID, Severity, Title, Status string
			}
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("trivy's report: %v\n%s", err, out)
	}
	var found []trivyFinding
	for _, res := range report.Results {
		for _, m := range res.Misconfigurations {
			if m.Status == "FAIL" {
				found = append(found, trivyFinding{res.Target, m.ID, m.Severity, m.Title})
			}
		}
	}
	return found
}

// TestTrivy: trivy's checks find nothing in infra/terraform, at any
// severity, beyond the inline ignores.
func TestTrivy(t *testing.T) {
	t.Parallel()
	for _, f := range trivy(t, tfRoot(t)) {
		t.Errorf("%s: %s %s: %s", f.Target, f.Severity, f.ID, f.Title)
	}
}

// TestTrivyFindsProblems: the same scan reports a bucket without a public
// access block and a node template without IMDSv2, so TestTrivy's pass
// means something.
func TestTrivyFindsProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "main.tf", `resource "aws_s3_bucket" "open" {
  bucket = "open"
}

resource "aws_launch_template" "nodes" {
  instance_type = "c6i.xlarge"
}
`)
	ids := map[string]bool{}
	for _, f := range trivy(t, dir) {
		ids[f.ID] = true
	}
	if len(ids) < 3 {
		t.Fatalf("trivy found only %v in a public, unencrypted bucket and an IMDSv1 template", ids)
	}
	for _, id := range []string{"AWS-0086", "AWS-0130"} {
		if !ids[id] {
			t.Errorf("trivy did not report %s; it reported %v", id, ids)
		}
	}
}
