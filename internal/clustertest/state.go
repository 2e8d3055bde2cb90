package clustertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// Env is the variable test/cluster/test.sh exports for the tests; without
// it the test ends, naming the variable.
func Env(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatal(name + " is not set: run these tests with make test-cluster")
	}
	return v
}

// State is the test cluster's state directory, which test/cluster/test.sh
// exports as SHIPSHAPE_CLUSTER_STATE (its PKI, images, deployed overlay).
func State(t testing.TB) string {
	t.Helper()
	return Env(t, "SHIPSHAPE_CLUSTER_STATE")
}

// DeployedOverlay is the kustomization deploy.sh applied: the test
// overlay by digest from the release registry, with its pull Secret.
func DeployedOverlay(t testing.TB) string {
	t.Helper()
	return filepath.Join(State(t), "deploy")
}

// RepoPath is a path inside the repository the tests run in.
func RepoPath(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{repoRoot(t)}, elem...)...)
}

func repoRoot(t testing.TB) string {
	t.Helper()
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	return repo.Root
}
