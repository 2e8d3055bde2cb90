//go:build cluster

// Package argorollouts_test proves progressive delivery in the test
// cluster: the progressive-delivery component applied over the test
// overlay turns the Deployments into Rollouts; catalog's canary releases
// are promoted or aborted by their analysis on Prometheus, under steady
// traffic through the gateway, and the storefront's blue-green releases
// switch only after their smoke journey passed against the preview, under
// steady page loads; the rollback runbook takes releases back.
package argorollouts_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// Every request from its own shopper, past the gateway's per-client limits.
func init() { clustertest.ActAsShoppers() }

const (
	ns       = "shipshape"
	repoRoot = "../../.."
)

// released are the workloads the component releases: as canaries, and
// the storefront (web) blue-green.
var released = []string{"identity", "catalog", "cart", "orders", "gateway", "web"}

// The test's only change to the component: a shorter pause after the
// canaries' 50% step (2 min in the component). The first step keeps its 2
// min, within which the analysis' first measurements (after 90 s, then
// every 30 s) must catch a bad version.
const testPauses = `- op: replace
  path: /spec/strategy/canary/steps/3/pause/duration
  value: 30s
`

// apply renders dir and applies it as deploy.sh applies the test overlay.
func apply(t *testing.T, dir string) { clustertest.Apply(t, repoRoot, dir) }

// withComponent writes a kustomization of the deployed overlay plus the
// progressive-delivery component and the test's pauses. The deployed
// overlay's images (by digest from the release registry) and its patches
// (the service accounts' pull Secret) are repeated for the component's own
// objects, the smoke journey's Job template and account: a kustomization's
// transformers reach only its own resources.
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
	raw, err := os.ReadFile(filepath.Join(clustertest.DeployedOverlay(t), "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var deployed struct {
		Images  []any `yaml:"images"`
		Patches []any `yaml:"patches"`
	}
	if err := yaml.Unmarshal(raw, &deployed); err != nil || len(deployed.Images) == 0 {
		t.Fatalf("the deployed overlay's images: %v (%d)", err, len(deployed.Images))
	}
	k := map[string]any{
		"apiVersion": "kustomize.config.k8s.io/v1beta1",
		"kind":       "Kustomization",
		"resources":  []string{rel(clustertest.DeployedOverlay(t))},
		"components": []string{rel(filepath.Join(repoRoot, "deploy/kubernetes/apps/components/progressive-delivery"))},
		"images":     deployed.Images,
		"patches": append(deployed.Patches, map[string]any{
			"path":   "pauses.yaml",
			"target": map[string]string{"group": "argoproj.io", "kind": "Rollout", "name": "^(identity|catalog|cart|orders|gateway)$"},
		}),
	}
	body, err := yaml.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"kustomization.yaml": body, "pauses.yaml": []byte(testPauses)} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
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

// release changes a workload's pod template the way a release does (a
// strategic merge patch of the Deployment its Rollout takes it from) and
// waits until the Rollout works on the new template; it returns the
// template's hash.
func release(t *testing.T, name, patch, from string) string {
	t.Helper()
	clustertest.Kubectl(t, ns, "patch", "deployment", name, "--type=strategic", "-p", patch)
	var hash string
	clustertest.Poll(t, time.Minute, time.Second, "the Rollout to take the new template", func() error {
		r, err := getRollout(name)
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

// aborted waits until the Rollout's release was aborted and returns the
// last step it had reached (an abort resets the index).
func aborted(t *testing.T, name string, within time.Duration) int {
	t.Helper()
	lastStep := 0
	clustertest.Poll(t, within, time.Second, "the release of "+name+" aborted", func() error {
		r, err := getRollout(name)
		if err != nil {
			return err
		}
		if !r.Status.Abort || r.Status.Phase != "Degraded" {
			if r.Status.StepIndex != nil {
				lastStep = *r.Status.StepIndex
			}
			return fmt.Errorf("phase %s (%s), abort %v", r.Status.Phase, r.Status.Message, r.Status.Abort)
		}
		return nil
	})
	return lastStep
}

// analysisRunStatus is the part of an AnalysisRun the tests read.
type analysisRunStatus struct {
	Status struct {
		Phase         string `json:"phase"`
		MetricResults []struct {
			Name         string `json:"name"`
			Measurements []struct {
				Phase    string            `json:"phase"`
				Metadata map[string]string `json:"metadata"`
			} `json:"measurements"`
		} `json:"metricResults"`
	} `json:"status"`
}

// analysisRun is the one AnalysisRun of a Rollout's pod template hash.
func analysisRun(t *testing.T, hash string) analysisRunStatus {
	t.Helper()
	out := clustertest.Kubectl(t, ns, "get", "analysisruns", "-l", "rollouts-pod-template-hash="+hash, "-o", "json")
	var list struct {
		Items []analysisRunStatus `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Items) != 1 {
		t.Fatalf("AnalysisRuns of %s: %v, %d found:\n%s", hash, err, len(list.Items), out)
	}
	return list.Items[0]
}

// measurements counts an AnalysisRun's measurements by metric and phase.
func (run analysisRunStatus) measurements() map[string]map[string]int {
	got := map[string]map[string]int{}
	for _, r := range run.Status.MetricResults {
		got[r.Name] = map[string]int{}
		for _, m := range r.Measurements {
			got[r.Name][m.Phase]++
		}
	}
	return got
}

// rollbackRunbook is the runbook whose steps the tests take releases back
// with, under the same traffic, and a drill of it for the Rollout name.
func rollbackRunbook(t *testing.T, name string) (clustertest.Runbook, *clustertest.Drill) {
	t.Helper()
	rb := clustertest.MustReadRunbook(t, filepath.Join(repoRoot, "docs/runbooks/rollback.md"))
	return rb, &clustertest.Drill{Dir: repoRoot, Env: []string{"ROLLOUT=" + name}}
}

// restorePlainDeployments is the way back to the test overlay as deployed,
// with pods serving throughout, so the rest of the suite finds the plain
// Deployments: the Rollouts deleted first but not their ReplicaSets (which
// keep serving; a Rollout still present would scale its Deployment down
// again), the overlay applied (the Deployments' replica count back), once
// the Deployments' own pods are ready the version hash Argo Rollouts added
// to the storefront Service's selector removed (the Service then selects
// both) and the orphaned ReplicaSets deleted, then what only the
// component created.
func restorePlainDeployments(t *testing.T) {
	// what the tests set on the templates (kubectl's own fields, which
	// applying the overlay leaves alone), if they got that far
	for _, d := range []string{"catalog", "web"} {
		_, _ = clustertest.KubectlIn(ns, "", "set", "env", "deployment/"+d, "FAULT_ERROR_RATIO-")
		_, _ = clustertest.KubectlIn(ns, "", "patch", "deployment", d, "--type=json", "-p",
			`[{"op":"remove","path":"/spec/template/metadata/annotations/shipshape.dev~1release"}]`)
	}
	clustertest.Kubectl(t, ns, "delete", "rollouts", "--all", "--cascade=orphan", "--wait=true", "--timeout=60s")
	apply(t, clustertest.DeployedOverlay(t))
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
	if out := clustertest.Kubectl(t, ns, "get", "service", "web", "-o", "jsonpath={.spec.selector.rollouts-pod-template-hash}"); out != "" {
		clustertest.Kubectl(t, ns, "patch", "service", "web", "--type=json", "-p",
			`[{"op":"remove","path":"/spec/selector/rollouts-pod-template-hash"}]`)
	}
	clustertest.Kubectl(t, ns, "delete", "replicasets", "-l", "rollouts-pod-template-hash", "--wait=true", "--timeout=120s")
	clustertest.Kubectl(t, ns, "delete", "analysistemplates,analysisruns", "--all", "--timeout=60s")
	clustertest.Kubectl(t, ns, "delete", "jobs", "-l", "app.kubernetes.io/name=storefront-smoke", "--timeout=60s")
	clustertest.Kubectl(t, ns, "delete", "service/web-preview", "serviceaccount/storefront-smoke", "--ignore-not-found", "--timeout=60s")
}

// TestProgressiveDelivery: the component takes over the services with no
// failed request; then catalog's canary releases and the storefront's
// blue-green ones, each under its own steady traffic; then the plain
// Deployments come back.
func TestProgressiveDelivery(t *testing.T) {
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
	if n := l.Failed.Load(); n != 0 {
		t.Fatalf("the takeover failed requests: %s", l)
	}
	t.Logf("takeover: %s", l)

	t.Run("canary", func(t *testing.T) { canaryReleases(t, l) })
	l.Stop()
	t.Run("blue-green", storefrontBlueGreen)
}

// gone waits until no pod of the app's template hash is left.
func gone(t *testing.T, app, hash string) {
	t.Helper()
	clustertest.Poll(t, 2*time.Minute, time.Second, "the "+app+" pods of "+hash+" gone", func() error {
		out := clustertest.Kubectl(t, ns, "get", "pods", "-l", "app.kubernetes.io/name="+app+",rollouts-pod-template-hash="+hash, "-o", "name")
		if strings.TrimSpace(out) != "" {
			return fmt.Errorf("still: %s", out)
		}
		return nil
	})
}
