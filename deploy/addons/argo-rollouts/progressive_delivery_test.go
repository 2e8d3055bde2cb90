//go:build cluster

// Package argorollouts_test proves progressive delivery in the test
// cluster: the progressive-delivery component applied over the test
// overlay turns the services' Deployments into Rollouts, and catalog's
// canary releases are promoted or aborted by their analysis on
// Prometheus, under steady traffic through the gateway.
package argorollouts_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// Every request from its own shopper, past the gateway's per-client limits.
func init() { clustertest.ActAsShoppers() }

const (
	ns       = "shipshape"
	repoRoot = "../../.."
)

// released are the workloads the component releases as canaries.
var released = []string{"identity", "catalog", "cart", "orders", "gateway"}

// The test's only change to the component: a shorter pause after the 50%
// step (2 min in the component). The first step keeps its 2 min, within
// which the analysis' first measurements (after 90 s, then every 30 s)
// must catch a bad version.
const testPauses = `- op: replace
  path: /spec/strategy/canary/steps/3/pause/duration
  value: 30s
`

// apply renders dir with the project's kustomize and applies it as
// deploy.sh applies the test overlay.
func apply(t *testing.T, dir string) {
	t.Helper()
	build := exec.Command("go", "tool", "-modfile=tools/go.mod", "kustomize", "build", dir)
	build.Dir = repoRoot
	out, err := build.Output()
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	if _, err := clustertest.KubectlIn("", string(out), "apply", "--server-side", "--force-conflicts",
		"--field-manager=shipshape-test", "-f", "-"); err != nil {
		t.Fatalf("applying %s: %v", dir, err)
	}
}

// deployedOverlay is the kustomization deploy.sh applied: the test overlay
// by digest from the release registry.
func deployedOverlay(t *testing.T) string {
	t.Helper()
	state := os.Getenv("SHIPSHAPE_CLUSTER_STATE")
	if state == "" {
		t.Fatal("SHIPSHAPE_CLUSTER_STATE is not set (test/cluster/test.sh sets it)")
	}
	return filepath.Join(state, "deploy")
}

// withComponent writes a kustomization of the deployed overlay plus the
// progressive-delivery component and the test's pauses.
func withComponent(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	rel := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := filepath.Rel(dir, a)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	k := fmt.Sprintf(`apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [%s]
components: [%s]
patches:
  - path: pauses.yaml
    target: {group: argoproj.io, kind: Rollout}
`, rel(deployedOverlay(t)), rel(filepath.Join(repoRoot, "deploy/kubernetes/apps/components/progressive-delivery")))
	for name, body := range map[string]string{"kustomization.yaml": k, "pauses.yaml": testPauses} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// rollout is the part of a Rollout's status the test reads.
type rollout struct {
	Status struct {
		Phase          string `json:"phase"`
		Message        string `json:"message"`
		Abort          bool   `json:"abort"`
		StableRS       string `json:"stableRS"`
		CurrentPodHash string `json:"currentPodHash"`
		StepIndex      *int   `json:"currentStepIndex"`
		AvailableReps  int    `json:"availableReplicas"`
	} `json:"status"`
}

func getRollout(name string) (rollout, error) {
	var r rollout
	out, err := clustertest.KubectlIn(ns, "", "get", "rollout", name, "-o", "json")
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(out), &r)
}

// healthy waits until the Rollout serves its current template, fully
// promoted, and returns that template's hash.
func healthy(t *testing.T, name string, within time.Duration) string {
	t.Helper()
	var hash string
	clustertest.Poll(t, within, time.Second, "Rollout "+name+" Healthy", func() error {
		r, err := getRollout(name)
		if err != nil {
			return err
		}
		s := r.Status
		if s.Phase != "Healthy" || s.StableRS == "" || s.StableRS != s.CurrentPodHash {
			return fmt.Errorf("phase %s (%s), stable %s, current %s", s.Phase, s.Message, s.StableRS, s.CurrentPodHash)
		}
		hash = s.StableRS
		return nil
	})
	return hash
}

// catalogTraffic is what the load sends: catalog's listing through the
// gateway, served by every catalog pod in turn.
func catalogTraffic(t *testing.T) []clustertest.Target {
	api := clustertest.ServiceURL(t, ns, "gateway", 8080) + "/api/v1"
	return []clustertest.Target{{URL: api + "/products?pageSize=3"}, {URL: api + "/categories"}}
}

// release changes catalog's pod template the way a release does (a strategic
// merge patch of the Deployment the Rollout takes it from) and waits until
// the Rollout works on the new template; it returns the template's hash.
func release(t *testing.T, patch, from string) string {
	t.Helper()
	clustertest.Kubectl(t, ns, "patch", "deployment", "catalog", "--type=strategic", "-p", patch)
	var hash string
	clustertest.Poll(t, time.Minute, time.Second, "the Rollout to take the new template", func() error {
		r, err := getRollout("catalog")
		if err != nil {
			return err
		}
		if hash = r.Status.CurrentPodHash; hash == from || hash == "" {
			return fmt.Errorf("current template still %q", hash)
		}
		return nil
	})
	return hash
}

// analysisRun is catalog's one AnalysisRun for the pod template hash.
func analysisRun(t *testing.T, hash string) map[string]any {
	t.Helper()
	out := clustertest.Kubectl(t, ns, "get", "analysisruns", "-l", "rollouts-pod-template-hash="+hash, "-o", "json")
	var list struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Items) != 1 {
		t.Fatalf("AnalysisRuns of %s: %v, %d found:\n%s", hash, err, len(list.Items), out)
	}
	return list.Items[0]
}

// measurements counts an AnalysisRun's measurements by metric and phase.
func measurements(run map[string]any) map[string]map[string]int {
	got := map[string]map[string]int{}
	status, _ := run["status"].(map[string]any)
	results, _ := status["metricResults"].([]any)
	for _, r := range results {
		m, _ := r.(map[string]any)
		name, _ := m["name"].(string)
		got[name] = map[string]int{}
		ms, _ := m["measurements"].([]any)
		for _, x := range ms {
			phase, _ := x.(map[string]any)["phase"].(string)
			got[name][phase]++
		}
	}
	return got
}

// rollbackRunbook is the runbook whose steps the test takes releases back
// with, under the same traffic.
func rollbackRunbook(t *testing.T) (clustertest.Runbook, *clustertest.Drill) {
	t.Helper()
	rb := clustertest.MustReadRunbook(t, filepath.Join(repoRoot, "docs/runbooks/rollback.md"))
	return rb, &clustertest.Drill{Dir: repoRoot, Env: []string{"ROLLOUT=catalog"}}
}

// noDataRun starts an analysis of catalog's template for a version that
// has no pods: every query of it returns no data.
func noDataRun(t *testing.T, stable string) string {
	t.Helper()
	const name = "catalog-no-data"
	// a kubectl plugin takes the namespace after its name
	if out, err := clustertest.KubectlIn("", "", "argo", "rollouts", "-n", ns, "create", "analysisrun", "--from", "service-health",
		"--name", name, "-a", "service=catalog", "-a", "canary-hash=no-such-version", "-a", "stable-hash="+stable); err != nil {
		t.Fatalf("creating the analysis of a version without pods: %v\n%s", err, out)
	}
	return name
}

// failedForNoData checks that the analysis of a version without pods
// failed, each metric on failed measurements only.
func failedForNoData(t *testing.T, name string) {
	t.Helper()
	var run map[string]any
	clustertest.Poll(t, 3*time.Minute, 2*time.Second, "the analysis without data to end", func() error {
		out, err := clustertest.KubectlIn(ns, "", "get", "analysisrun", name, "-o", "json")
		if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(out), &run); err != nil {
			return err
		}
		if phase, _ := run["status"].(map[string]any)["phase"].(string); phase == "" || phase == "Running" || phase == "Pending" {
			return fmt.Errorf("phase %q", phase)
		}
		return nil
	})
	got := measurements(run)
	if phase := run["status"].(map[string]any)["phase"]; phase != "Failed" {
		t.Errorf("an analysis whose queries return no data ended %v, want Failed: %v", phase, got)
	}
	if len(got) != 3 {
		t.Errorf("the analysis without data measured %d metrics, want the template's 3: %v", len(got), got)
	}
	for metric, phases := range got {
		if phases["Failed"] == 0 || phases["Failed"] != sum(phases) {
			t.Errorf("%s without data: measurements %v, want failed ones only", metric, phases)
		}
	}
	t.Logf("the analysis of a version without pods: %v", got)
}

func sum(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

// restorePlainDeployments is the way back to the test overlay as deployed,
// with pods serving throughout, so the rest of the suite finds the plain
// Deployments: the Rollouts deleted first but not their ReplicaSets (which
// keep serving; a Rollout still present would scale its Deployment down
// again), the overlay applied (the Deployments' replica count back), and
// once the Deployments' own pods are ready the orphaned ReplicaSets
// deleted.
func restorePlainDeployments(t *testing.T) {
	// what the test set on catalog's template (kubectl's own fields, which
	// applying the overlay leaves alone), if it got that far
	_, _ = clustertest.KubectlIn(ns, "", "set", "env", "deployment/catalog", "FAULT_ERROR_RATIO-")
	_, _ = clustertest.KubectlIn(ns, "", "patch", "deployment", "catalog", "--type=json", "-p",
		`[{"op":"remove","path":"/spec/template/metadata/annotations/shipshape.dev~1release"}]`)
	clustertest.Kubectl(t, ns, "delete", "rollouts", "--all", "--cascade=orphan", "--wait=true", "--timeout=60s")
	apply(t, deployedOverlay(t))
	for _, d := range released {
		clustertest.Poll(t, 4*time.Minute, time.Second, d+"'s Deployment serving again", func() error {
			out := clustertest.Kubectl(t, ns, "get", "deployment", d, "-o",
				"jsonpath={.spec.replicas} {.status.updatedReplicas} {.status.availableReplicas}")
			if f := strings.Fields(out); len(f) != 3 || f[0] == "0" || f[1] != f[0] || f[2] != f[0] {
				return fmt.Errorf("replicas, updated, available: %q", out)
			}
			return nil
		})
	}
	clustertest.Kubectl(t, ns, "delete", "replicasets", "-l", "rollouts-pod-template-hash", "--wait=true", "--timeout=120s")
	clustertest.Kubectl(t, ns, "delete", "analysistemplates,analysisruns", "--all", "--timeout=60s")
}

// TestCanaryReleases: the component takes over the services, a good
// catalog release is promoted by its analysis through every step with no
// failed request, and a bad one (the fault switch on) is aborted by the
// analysis at the first step, with few failed requests while the canary
// served and none after. The rollback runbook's steps take releases back:
// a promoted one, the aborted one, and a canary an operator stops. An
// analysis of a version without data fails.
func TestCanaryReleases(t *testing.T) {
	l := clustertest.StartLoad(4, catalogTraffic(t)...)
	clustertest.Poll(t, time.Minute, time.Second, "load to start", func() error {
		if l.OK.Load() < 50 {
			return fmt.Errorf("%s", l)
		}
		return nil
	})
	t.Cleanup(func() { restorePlainDeployments(t) })
	t.Cleanup(l.Stop) // first, before the restore

	// The takeover: every Rollout serves, every Deployment scaled to 0.
	apply(t, withComponent(t))
	for _, d := range released {
		healthy(t, d, 4*time.Minute)
		clustertest.Poll(t, 2*time.Minute, time.Second, d+"'s Deployment scaled down", func() error {
			if out := clustertest.Kubectl(t, ns, "get", "deployment", d, "-o", "jsonpath={.status.replicas}"); out != "" && out != "0" {
				return fmt.Errorf("%s replicas", out)
			}
			return nil
		})
	}
	stable := healthy(t, "catalog", time.Minute)
	if n := l.Failed.Load(); n != 0 {
		t.Fatalf("the takeover failed requests: %s", l)
	}
	t.Logf("takeover: %s", l)
	// measured while the releases run; its verdict is read after the first
	noData := noDataRun(t, stable)

	// A good release: promoted by the analysis alone.
	began := time.Now()
	good := release(t, `{"spec":{"template":{"metadata":{"annotations":{"shipshape.dev/release":"good"}}}}}`, stable)
	if promoted := healthy(t, "catalog", 6*time.Minute); promoted != good {
		t.Fatalf("catalog's stable version is %s after the release, want %s", promoted, good)
	}
	run := analysisRun(t, good)
	if phase := run["status"].(map[string]any)["phase"]; phase != "Successful" {
		t.Fatalf("the good release's analysis: %v, want Successful: %v", phase, measurements(run))
	}
	for metric, phases := range measurements(run) {
		if phases["Successful"] == 0 {
			t.Errorf("the good release's %s: measurements %v, want at least one successful", metric, phases)
		}
	}
	if n := l.Failed.Load(); n != 0 {
		t.Fatalf("requests failed during the good release: %s", l)
	}
	t.Logf("good release promoted in %s, analysis %v; %s", time.Since(began).Round(time.Second), measurements(run), l)
	failedForNoData(t, noData)

	// A promoted release taken back with the runbook: the previous version
	// returns at once (within the rollback window: no steps, no analysis).
	rb, promotedBack := rollbackRunbook(t)
	began = time.Now()
	promotedBack.Run(t, rb, "status")
	promotedBack.Run(t, rb, "undo")
	if back := healthy(t, "catalog", time.Minute); back != stable {
		t.Fatalf("after undoing the good release the stable version is %s, want the one before it, %s", back, stable)
	}
	if n := l.Failed.Load(); n != 0 {
		t.Fatalf("requests failed while the promoted release was undone: %s", l)
	}
	t.Logf("the promoted release undone in %s", time.Since(began).Round(time.Second))

	// A bad release: 5% of the canary's calls fail; the analysis (at most
	// 1%) aborts it and the stable version keeps serving.
	okBefore, failedBefore := l.OK.Load(), l.Failed.Load()
	began = time.Now()
	lastStep := 0
	bad := release(t, `{"spec":{"template":{"spec":{"containers":[{"name":"catalog","env":[{"name":"FAULT_ERROR_RATIO","value":"0.05"}]}]}}}}`, stable)
	clustertest.Poll(t, 5*time.Minute, time.Second, "the bad release aborted", func() error {
		r, err := getRollout("catalog")
		if err != nil {
			return err
		}
		if !r.Status.Abort || r.Status.Phase != "Degraded" {
			// an abort resets the step index: note the last one before
			if r.Status.StepIndex != nil {
				lastStep = *r.Status.StepIndex
			}
			return fmt.Errorf("phase %s (%s), abort %v", r.Status.Phase, r.Status.Message, r.Status.Abort)
		}
		return nil
	})
	// steps 0 and 1: the 20% weight and its pause
	if lastStep > 1 {
		t.Errorf("the bad release reached step %d before its abort, want it caught in the first (20%% and its pause)", lastStep)
	}
	aborted := time.Since(began)
	gone(t, bad)
	during := l.OK.Load() - okBefore + l.Failed.Load() - failedBefore
	failedDuring := l.Failed.Load() - failedBefore
	share := float64(failedDuring) / float64(during)
	t.Logf("bad release aborted after %s: %d of %d requests failed while its canary served (%.2f%%)",
		aborted.Round(time.Second), failedDuring, during, 100*share)
	if share >= 0.05 {
		t.Errorf("%.2f%% of the requests failed during the bad canary, want under 5%%: %s", 100*share, l)
	}
	failedAfter := l.Failed.Load()
	if r, err := getRollout("catalog"); err != nil || r.Status.StableRS != stable {
		t.Errorf("after the abort the stable version is %q (%v), want %s", r.Status.StableRS, err, stable)
	}

	// The aborted release's template taken back with the runbook: the
	// Rollout is Healthy on the stable version without a new canary.
	abortedBack := &clustertest.Drill{Dir: promotedBack.Dir, Env: promotedBack.Env}
	abortedBack.Run(t, rb, "status")
	abortedBack.Run(t, rb, "undo")
	if back := healthy(t, "catalog", time.Minute); back != stable {
		t.Errorf("after undoing the aborted release the stable version is %s, want %s", back, stable)
	}

	// A canary an operator stops before its analysis has a verdict.
	release(t, `{"spec":{"template":{"metadata":{"annotations":{"shipshape.dev/release":"stopped"}}}}}`, stable)
	clustertest.Poll(t, 2*time.Minute, time.Second, "the canary serving its 20%", func() error {
		r, err := getRollout("catalog")
		if err != nil {
			return err
		}
		if r.Status.StepIndex == nil || *r.Status.StepIndex < 1 {
			return fmt.Errorf("phase %s (%s), step %v", r.Status.Phase, r.Status.Message, r.Status.StepIndex)
		}
		return nil
	})
	stopped := &clustertest.Drill{Dir: promotedBack.Dir, Env: promotedBack.Env}
	for _, step := range rb.Names() {
		stopped.Run(t, rb, step)
	}
	if back := healthy(t, "catalog", time.Minute); back != stable {
		t.Errorf("after the stopped canary the stable version is %s, want %s", back, stable)
	}
	l.Finish(t, 300)
	if n := l.Failed.Load() - failedAfter; n != 0 {
		t.Errorf("%d requests failed after the abort, through the undos and the stopped canary: %s", n, l)
	}
	for _, err := range []error{promotedBack.FollowedExcept(rb, "abort"), abortedBack.FollowedExcept(rb, "abort"), stopped.Followed(rb)} {
		if err != nil {
			t.Error(err)
		}
	}
}

// gone waits until no pod of the template hash is left.
func gone(t *testing.T, hash string) {
	t.Helper()
	clustertest.Poll(t, 2*time.Minute, time.Second, "the canary's pods gone", func() error {
		out := clustertest.Kubectl(t, ns, "get", "pods", "-l", "app.kubernetes.io/name=catalog,rollouts-pod-template-hash="+hash, "-o", "name")
		if strings.TrimSpace(out) != "" {
			return fmt.Errorf("still: %s", out)
		}
		return nil
	})
}
