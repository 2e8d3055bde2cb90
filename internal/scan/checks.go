package scan

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

// Overlays are what trivy config checks of the Kubernetes manifests, as
// they are applied: rendered. (infra/terraform is trivy's in make
// terraform-check.)
var Overlays = []string{
	"deploy/kubernetes/apps/development",
	"deploy/kubernetes/apps/staging",
	"deploy/kubernetes/apps/production",
	"deploy/kubernetes/infrastructure/staging",
	"deploy/kubernetes/infrastructure/production",
}

// FixtureDirs hold the scanners' own test fixtures (a gosec violation, a
// module calling a vulnerable version, a broken workflow). The Go tools skip
// testdata directories anyway; the real-tree scans exclude them by name as
// well, so that a fixture can never pass for, or hide in, the real tree.
var FixtureDirs = []string{"internal/scan/testdata"}

// Check is one scanner over the real tree: it returns its one-line summary
// and its findings (accepted ones included; the caller splits them).
type Check struct {
	Name string
	Run  func(r manifestcheck.Repo) (summary string, findings []Finding, err error)
}

// Checks are the scans of `make scan`, in the order they are reported.
var Checks = []Check{
	{"govulncheck", checkGovulncheck},
	{"gosec", checkGosec},
	{"gitleaks", checkGitleaks},
	{"trivy", checkTrivy},
	{"actionlint", checkActionlint},
}

func checkGovulncheck(r manifestcheck.Repo) (string, []Finding, error) {
	bin, err := r.EnsureTool(Govulncheck)
	if err != nil {
		return "", nil, err
	}
	db, err := EnsureVulnDB(r)
	if err != nil {
		return "", nil, err
	}
	version, err := r.ToolVersion(Indexdb)
	if err != nil {
		return "", nil, err
	}
	findings, err := RunGovulncheck(bin, db, r.Root, "./...")
	return fmt.Sprintf("vulnerable packages imported by the module or from its Go standard library (offline DB: golang.org/x/vulndb %s)", version), findings, err
}

func checkGosec(r manifestcheck.Repo) (string, []Finding, error) {
	bin, err := r.EnsureTool(Gosec)
	if err != nil {
		return "", nil, err
	}
	findings, err := RunGosec(bin, r.Root, FixtureDirs)
	return "issues in the Go code (generated code and " + strings.Join(FixtureDirs, ", ") + " excluded)", findings, err
}

func checkGitleaks(r manifestcheck.Repo) (string, []Finding, error) {
	bin, err := r.EnsureTool(Gitleaks)
	if err != nil {
		return "", nil, err
	}
	findings, hist, err := RunGitleaks(bin, r.Root)
	return "secrets in the git history (" + hist.String() + ")", findings, err
}

func checkActionlint(r manifestcheck.Repo) (string, []Finding, error) {
	bin, err := r.EnsureTool(Actionlint)
	if err != nil {
		return "", nil, err
	}
	files, err := WorkflowFiles(r.Root)
	if err != nil {
		return "", nil, err
	}
	findings, err := RunActionlint(bin, r.Root, files...)
	if err != nil {
		return "", nil, err
	}
	for _, f := range files {
		policy, err := WorkflowPolicy(r.Root, f)
		if err != nil {
			return "", nil, err
		}
		findings = append(findings, policy...)
	}
	return fmt.Sprintf("problems in %d GitHub workflows (actionlint; actions pinned by SHA, top-level permissions)", len(files)), findings, nil
}

// checkTrivy runs the trivy build that tools/go.mod pins (the same
// one make terraform-check uses) over the rendered overlays and the
// Dockerfiles.
func checkTrivy(r manifestcheck.Repo) (string, []Finding, error) {
	trivy, err := r.EnsureTool(terraformcheck.Trivy)
	if err != nil {
		return "", nil, err
	}
	kustomize, err := r.EnsureTool(manifestcheck.Kustomize)
	if err != nil {
		return "", nil, err
	}
	// The development overlay cannot be built without its generated,
	// git-ignored secrets (a clean clone has none).
	if _, err := manifestcheck.RunCommand(exec.Command("sh", r.Path("scripts", "dev-secrets.sh"))); err != nil {
		return "", nil, err
	}
	rendered, err := os.MkdirTemp("", "scan-overlays-")
	if err != nil {
		return "", nil, err
	}
	defer os.RemoveAll(rendered)
	overlayOf, err := RenderOverlays(kustomize, r.Root, rendered, Overlays)
	if err != nil {
		return "", nil, err
	}
	findings, err := RunTrivyConfig(trivy, "kubernetes", rendered, overlayOf)
	if err != nil {
		return "", nil, err
	}
	docker, err := RunTrivyConfig(trivy, "dockerfile", r.Path("deploy", "docker"), func(f string) string { return "deploy/docker/" + f })
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("misconfigurations in %d rendered overlays and deploy/docker/*.Dockerfile", len(Overlays)), append(findings, docker...), nil
}
