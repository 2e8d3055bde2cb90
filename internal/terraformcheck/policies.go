package terraformcheck

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// The Terraform policies (Rego over HCL read as conftest reads it), their data and the
// fixtures that must fail them, relative to the repository root.
const (
	PolicyDir  = "deploy/policies/terraform"
	PolicyData = "deploy/policies/terraform/instance-types.yaml"
	FixtureDir = "deploy/policies/terraform-fixtures"
)

// Policies runs the Terraform policies over files together (a policy
// relates the resources of one module directory). Run it from the
// repository root with relative paths: the messages name files as given.
func Policies(regocheck string, files ...string) ([]manifestcheck.PolicyFailure, error) {
	return manifestcheck.RunPolicies(regocheck, []string{"--policy", PolicyDir, "--data", PolicyData}, files...)
}
