package terraform_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

// Environments are the roots under infra/terraform/environments, each
// matching deploy/kubernetes/{infrastructure,apps}/<env>.
var Environments = []string{"staging", "production"}

var repoOnce = sync.OnceValues(func() (manifestcheck.Repo, error) { return manifestcheck.FindRepo(".") })

func repo(t testing.TB) manifestcheck.Repo {
	t.Helper()
	r, err := repoOnce()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tool builds (once per version, cached) or finds a pinned tool.
func tool(t testing.TB, tl manifestcheck.Tool) string {
	t.Helper()
	bin, err := repo(t).EnsureTool(tl)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// tfRoot is infra/terraform.
func tfRoot(t testing.TB) string {
	return repo(t).Path(terraformcheck.Root)
}

// run executes cmd and fails the test with its output when it fails.
func run(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	return string(out)
}

func writeFile(t testing.TB, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
