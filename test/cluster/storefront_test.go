//go:build cluster

package cluster_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// The storefront's browser journey (web/e2e: browse a category, search,
// sign up, buy two products, find the order) in Debian's Chromium against
// the web pod, which calls the gateway pod, over the cluster's Services.
// Screenshots land in test-results/cluster/.
func TestStorefrontJourneyInABrowser(t *testing.T) {
	rolledOut(t)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join(repo, "web", "scripts", "e2e-tests.mjs"))
	cmd.Env = append(os.Environ(),
		"E2E_BASE_URL="+serviceURL(t, "web", 3000),
		"E2E_API_URL="+apiURL(t),
		"E2E_SCREENSHOTS="+filepath.Join(repo, "test-results", "cluster"),
		"E2E_TEST_PATTERN=a guest browses a category",
	)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("browser journey against the cluster: %v", err)
	}
	// A pattern that matched nothing would pass with no test run.
	if !regexp.MustCompile(`(?m)^\S* ?pass 1$`).Match(out) {
		t.Fatal("the journey test did not run (want exactly one passing test)")
	}
}
