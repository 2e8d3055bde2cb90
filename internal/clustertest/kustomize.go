package clustertest

import (
	"path/filepath"
	"testing"
)

// Kustomize renders the kustomization in dir (a path from the test's
// directory, or absolute) with the project's pinned kustomize
// (tools/go.mod), run from the repository's root repo.
func Kustomize(t testing.TB, repo, dir string) []byte {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pinnedTool(repo, nil, "kustomize", "build", abs)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	return []byte(out)
}

// Apply renders dir (Kustomize) and applies it as deploy.sh applies the
// test overlay: server-side, as the field manager shipshape-test.
func Apply(t testing.TB, repo, dir string) {
	t.Helper()
	if out, err := KubectlIn("", string(Kustomize(t, repo, dir)), "apply", "--server-side", "--force-conflicts",
		"--field-manager=shipshape-test", "-f", "-"); err != nil {
		t.Fatalf("applying %s: %v\n%s", dir, err, out)
	}
}
