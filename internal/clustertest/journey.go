package clustertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// JourneyTest is the storefront's browser journey in web/e2e (browse a
// category, search, sign up, buy two products, find the order): the one
// test of that suite the cluster runs.
const JourneyTest = "a guest browses a category"

// BrowserJourney runs JourneyTest in Debian's Chromium with node's test
// runner (web/scripts/e2e-tests.mjs) from the repository at repo, the
// command prefixed by wrap (`ip netns exec NAME` runs it in a network
// namespace; nil: none), with the E2E_* settings given ("NAME=value").
// Screenshots land in test-results/<screenshots>/. It fails unless
// exactly that one test ran and passed: a pattern that matched nothing
// would pass with no test run.
func BrowserJourney(t testing.TB, repo string, wrap []string, screenshots string, settings ...string) {
	t.Helper()
	repo, err := filepath.Abs(repo)
	if err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{}, wrap...), "node", filepath.Join(repo, "web", "scripts", "e2e-tests.mjs"))
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), settings...)
	cmd.Env = append(cmd.Env,
		"E2E_SCREENSHOTS="+filepath.Join(repo, "test-results", screenshots),
		"E2E_TEST_PATTERN="+JourneyTest)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the browser journey: %v", err)
	}
	if !regexp.MustCompile(`(?m)^\S* ?pass 1$`).Match(out) {
		t.Fatal("the journey test did not run (want exactly one passing test)")
	}
}
