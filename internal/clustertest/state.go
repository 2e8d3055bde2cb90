package clustertest

import (
	"os"
	"path/filepath"
	"testing"
)

// State is the test cluster's state directory, which test/cluster/test.sh
// exports as SHIPSHAPE_CLUSTER_STATE (its PKI, images, deployed overlay).
func State(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SHIPSHAPE_CLUSTER_STATE")
	if dir == "" {
		t.Fatal("SHIPSHAPE_CLUSTER_STATE is not set: run these tests with make test-cluster")
	}
	return dir
}

// DeployedOverlay is the kustomization deploy.sh applied: the test
// overlay by digest from the release registry, with its pull Secret.
func DeployedOverlay(t testing.TB) string {
	t.Helper()
	return filepath.Join(State(t), "deploy")
}
