package terraformcheck

import (
	"os"
	"os/exec"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// Root is the Terraform tree, relative to the repository root.
const Root = "infra/terraform"

// The Terraform checks' tools are pinned in tools/go.mod with the others:
// tflint and trivy alone have 600 packages in common, which compile once
// there (in module files of their own, about 400 of them were at different
// versions and compiled twice). Trivy is our own small main around trivy's
// Terraform, Kubernetes and Dockerfile scanners and their embedded checks
// (tools/iac/misconfig, also run by make scan): trivy's command compiles
// every image, language and cloud scanner, more than twice the packages.
var (
	Tflint = manifestcheck.Tool{Name: "tflint", Package: "github.com/terraform-linters/tflint",
		Module: "github.com/terraform-linters/tflint"}
	Trivy = manifestcheck.Tool{Name: "misconfig", Package: "./iac/misconfig",
		Module: "github.com/aquasecurity/trivy"}
)

// Terraform is the terraform command in dir with the project's CLI
// configuration and its working data in dataDir (never .terraform in the
// tree).
func Terraform(r manifestcheck.Repo, dataDir, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("terraform", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+r.Path("infra", "terraform", "terraform.rc"),
		"TF_DATA_DIR="+dataDir,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
	return cmd
}
