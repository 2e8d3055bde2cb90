package main

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/ociregistry"
	"github.com/shipshape-dev/shipshape/internal/scan"
	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

// pinned is every tool the checks build with EnsureTool, in the order
// `make test` first needs them: the scanners, then the manifest and rule
// checks, then the Terraform checks and the release registry.
// tools_test.go fails when a tool is declared and missing here.
var pinned = []manifestcheck.Tool{
	scan.Gosec, terraformcheck.Trivy, scan.Gitleaks, scan.Govulncheck, scan.Indexdb, scan.Actionlint,
	manifestcheck.Regocheck, manifestcheck.Kustomize, manifestcheck.Kubeconform, manifestcheck.KubeScore,
	manifestcheck.Promtool, manifestcheck.Amtool,
	terraformcheck.Tflint, ociregistry.Tool,
}
