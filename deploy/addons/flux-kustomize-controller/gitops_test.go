//go:build cluster

// Package fluxkustomizecontroller_test proves GitOps in the test cluster:
// Flux's controllers apply the test cluster's environment from a git
// repository (a git server this test runs on the node, as a git host
// serves one), in order (infrastructure, then database, then apps),
// follow its commits, put back what is changed by hand, and keep the
// running version when a commit does not apply, with the alert firing.
package fluxkustomizecontroller_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// Every request from its own shopper, past the gateway's per-client limits.
func init() { clustertest.ActAsShoppers() }

const (
	repoRoot = "../../.."
	// the node address and the port test/cluster/egress/git-host.yaml opens
	gitAddr = "10.250.0.1:19418"
	// the test cluster's GitOps configuration (bootstrapped by the test)
	clusterConfig = repoRoot + "/deploy/gitops/clusters/test-cluster"
)

// hydrated renders dir without its Secrets: what a CI job would commit to
// the environment's repository (the Secrets stay in the cluster).
func hydrated(t *testing.T, dir string) string {
	t.Helper()
	docs := strings.Split(string(clustertest.Kustomize(t, repoRoot, dir)), "\n---\n")
	var kept []string
	for _, d := range docs {
		if !strings.Contains("\n"+d, "\nkind: Secret\n") {
			kept = append(kept, d)
		}
	}
	if len(kept) == 0 {
		t.Fatalf("%s renders nothing but Secrets", dir)
	}
	return strings.Join(kept, "\n---\n")
}

// appsKustomization is the environment's apps folder's kustomization,
// with extra lines (a replica count, a resource) appended.
func appsKustomization(extra string) string {
	return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [manifests.yaml]\n" + extra
}

// catalogReplicas sets catalog's replicas with a patch: the replicas field
// would fail the database layer's build, which has dropped the Deployment
// before kustomize's replica transformer runs (docs/gitops.md).
func catalogReplicas(n int) string {
	return fmt.Sprintf("patches: [{target: {kind: Deployment, name: catalog}, patch: '[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": %d}]'}]\n", n)
}

// kustomization is the part of a Flux Kustomization's status the test reads.
type kustomization struct {
	Status struct {
		LastAppliedRevision   string      `json:"lastAppliedRevision"`
		LastAttemptedRevision string      `json:"lastAttemptedRevision"`
		Conditions            []condition `json:"conditions"`
		// what it applied, as namespace_name_group_Kind
		Inventory struct {
			Entries []struct {
				ID string `json:"id"`
			} `json:"entries"`
		} `json:"inventory"`
		// its last reconciliations, one entry per applied digest and
		// outcome
		History []struct {
			FirstReconciled      time.Time `json:"firstReconciled"`
			LastReconciledStatus string    `json:"lastReconciledStatus"`
		} `json:"history"`
	} `json:"status"`
}

// firstSucceeded is when the Kustomization first applied successfully, by
// its history: unlike the Ready condition's transition time, a later
// reconciliation (a requeue, another revision) does not move it.
func (k kustomization) firstSucceeded() time.Time {
	var first time.Time
	for _, h := range k.Status.History {
		if h.LastReconciledStatus == "ReconciliationSucceeded" && (first.IsZero() || h.FirstReconciled.Before(first)) {
			first = h.FirstReconciled
		}
	}
	return first
}

// holds reports whether the Kustomization applied the object id.
func (k kustomization) holds(id string) bool {
	for _, e := range k.Status.Inventory.Entries {
		if e.ID == id {
			return true
		}
	}
	return false
}

// condition is one of a Flux object's status conditions.
type condition struct {
	Type, Status, Reason, Message string
	LastTransitionTime            time.Time `json:"lastTransitionTime"`
}

// condition returns the condition of type typ (its zero value if absent).
func (k kustomization) condition(typ string) condition {
	for _, c := range k.Status.Conditions {
		if c.Type == typ {
			return c
		}
	}
	return condition{}
}

func getKustomization(name string) (kustomization, string, error) {
	var k kustomization
	out, err := clustertest.KubectlIn("flux-system", "", "get", "kustomization.kustomize.toolkit.fluxcd.io", name, "-o", "json")
	if err != nil {
		return k, "", fmt.Errorf("%v: %s", err, out)
	}
	if err := json.Unmarshal([]byte(out), &k); err != nil {
		return k, "", err
	}
	ready := "Unknown"
	if c := k.condition("Ready"); c.Type != "" {
		ready = c.Status + " (" + c.Reason + ": " + c.Message + ")"
	}
	return k, ready, nil
}

// appliedAt waits until the Kustomization is Ready with commit applied.
func appliedAt(t *testing.T, name, commit string, within time.Duration) {
	t.Helper()
	clustertest.Poll(t, within, time.Second, name+" Ready at "+commit[:8], func() error {
		k, ready, err := getKustomization(name)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(ready, "True") || !strings.HasSuffix(k.Status.LastAppliedRevision, commit) {
			return fmt.Errorf("ready %s, applied %q", ready, k.Status.LastAppliedRevision)
		}
		return nil
	})
}

func replicas(t *testing.T, deployment string) string {
	t.Helper()
	return clustertest.Kubectl(t, "shipshape", "get", "deployment", deployment, "-o", "jsonpath={.spec.replicas}")
}

// TestGitOps: under steady traffic to catalog through the gateway, Flux
// takes over the test cluster's environment from git without a failed
// request, in its layers' order; a commit raising catalog's replicas is
// applied within 60 s; a change by hand is put back; a commit that does
// not apply leaves the running version serving, the Kustomization not
// Ready with the API server's error, and GitOpsReconciliationFailing
// firing; its revert makes everything Ready again. Removing GitOps at the end leaves the
// environment running (deletionPolicy Orphan).
func TestGitOps(t *testing.T) {
	api := clustertest.ServiceURL(t, "shipshape", "gateway", 8080) + "/api/v1"
	l := clustertest.StartLoad(2, clustertest.Target{URL: api + "/products?pageSize=3"}, clustertest.Target{URL: api + "/categories"})
	t.Cleanup(l.Stop)

	g := clustertest.StartGitServer(t, gitAddr)
	first := g.Commit(t, "the test cluster as deployed", map[string]string{
		"clusters/test-cluster/infrastructure/kustomization.yaml": "resources: [manifests.yaml]\n",
		"clusters/test-cluster/infrastructure/manifests.yaml":     hydrated(t, filepath.Join(repoRoot, "test/cluster/infrastructure")),
		"clusters/test-cluster/apps/kustomization.yaml":           appsKustomization(""),
		"clusters/test-cluster/apps/manifests.yaml":               hydrated(t, clustertest.DeployedOverlay(t)),
	})
	g.Push(t)

	// Bootstrap: the GitOps configuration applied once by hand.
	began := time.Now()
	clustertest.Apply(t, repoRoot, clusterConfig)
	t.Cleanup(func() {
		// Orphan: the Kustomizations go, what they applied stays
		clustertest.Kubectl(t, "flux-system", "delete", "kustomizations.kustomize.toolkit.fluxcd.io", "--all", "--wait=true", "--timeout=120s")
		clustertest.Kubectl(t, "flux-system", "delete", "gitrepositories.source.toolkit.fluxcd.io", "--all", "--wait=true", "--timeout=60s")
		if n := replicas(t, "catalog"); n != "1" {
			t.Errorf("after GitOps was removed catalog has %s replicas, want the environment's 1", n)
		}
	})
	appliedAt(t, "infrastructure", first, 3*time.Minute)
	appliedAt(t, "database", first, 4*time.Minute)
	appliedAt(t, "apps", first, 4*time.Minute)
	t.Logf("the environment applied from git in %s (infrastructure, then database, then apps); %s", time.Since(began).Round(time.Second), l)
	layersInOrder(t)

	// A commit: catalog at 2 replicas.
	began = time.Now()
	second := g.Commit(t, "catalog: 2 replicas", map[string]string{
		"clusters/test-cluster/apps/kustomization.yaml": appsKustomization(catalogReplicas(2)),
	})
	g.Push(t)
	clustertest.Poll(t, 60*time.Second, time.Second, "catalog at 2 replicas from git", func() error {
		if n := replicas(t, "catalog"); n != "2" {
			return fmt.Errorf("%s replicas", n)
		}
		return nil
	})
	t.Logf("the commit applied %s after its push", time.Since(began).Round(time.Second))
	appliedAt(t, "apps", second, 3*time.Minute)

	// A change by hand, put back from git at the next reconciliation.
	began = time.Now()
	clustertest.Kubectl(t, "shipshape", "scale", "deployment", "catalog", "--replicas=3")
	clustertest.Poll(t, 90*time.Second, time.Second, "the manual scale reverted", func() error {
		if n := replicas(t, "catalog"); n != "2" {
			return fmt.Errorf("%s replicas", n)
		}
		return nil
	})
	t.Logf("the change by hand put back after %s", time.Since(began).Round(time.Second))

	// A commit that does not apply: an object the API server refuses.
	bad := g.Commit(t, "a ConfigMap with a name the API server refuses", map[string]string{
		"clusters/test-cluster/apps/kustomization.yaml": appsKustomization(catalogReplicas(2)) +
			"configMapGenerator: [{name: Not_A_Valid_Name, namespace: shipshape, literals: [a=b], options: {disableNameSuffixHash: true}}]\n",
	})
	g.Push(t)
	var message string
	clustertest.Poll(t, 2*time.Minute, time.Second, "apps not Ready at the bad commit", func() error {
		k, ready, err := getKustomization("apps")
		if err != nil {
			return err
		}
		if !strings.HasPrefix(ready, "False") || !strings.HasSuffix(k.Status.LastAttemptedRevision, bad) {
			return fmt.Errorf("ready %s, attempted %q", ready, k.Status.LastAttemptedRevision)
		}
		if !strings.HasSuffix(k.Status.LastAppliedRevision, second) {
			t.Fatalf("the bad commit moved the applied revision to %q", k.Status.LastAppliedRevision)
		}
		message = ready
		return nil
	})
	if !strings.Contains(message, "Not_A_Valid_Name") {
		t.Errorf("the Kustomization's condition does not name the refused object: %s", message)
	}
	t.Logf("the bad commit: %s", message)
	if _, err := clustertest.KubectlIn("shipshape", "", "get", "configmap", "Not_A_Valid_Name"); err == nil {
		t.Error("the refused object exists")
	}
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "GitOpsReconciliationFailing firing for apps", func() error {
		samples, err := clustertest.Query(prom, `ALERTS{alertname="GitOpsReconciliationFailing", alertstate="firing", customresource_kind="Kustomization", name="apps"}`)
		if err != nil {
			return err
		}
		if len(samples) != 1 {
			return fmt.Errorf("%d firing: %v", len(samples), samples)
		}
		return nil
	})
	if n := replicas(t, "catalog"); n != "2" {
		t.Errorf("with the bad commit catalog has %s replicas, want the running version's 2", n)
	}

	// The bad commit reverted: Ready again. Then the replica commit too.
	fixed := g.Revert(t, bad)
	g.Push(t)
	appliedAt(t, "apps", fixed, 2*time.Minute)
	last := g.Revert(t, second)
	g.Push(t)
	appliedAt(t, "apps", last, 3*time.Minute)
	clustertest.Poll(t, 2*time.Minute, time.Second, "catalog back at 1 replica", func() error {
		if n := replicas(t, "catalog"); n != "1" {
			return fmt.Errorf("%s replicas", n)
		}
		return nil
	})
	l.Finish(t, 100)
	if n := l.Failed.Load(); n != 0 {
		t.Errorf("requests failed under GitOps: %s", l)
	}
	t.Logf("%s", l)
}

// layersInOrder: infrastructure Ready once the platform add-ons passed its
// health checks, then the database layer (the namespace and PostgreSQL,
// no service), then apps (the services, not the database).
func layersInOrder(t *testing.T) {
	t.Helper()
	var ready []time.Time
	layers := map[string]kustomization{}
	for _, name := range []string{"infrastructure", "database", "apps"} {
		k, _, err := getKustomization(name)
		if err != nil {
			t.Fatal(err)
		}
		layers[name] = k
		ready = append(ready, k.firstSucceeded())
	}
	if c := layers["infrastructure"].condition("Healthy"); c.Status != "True" {
		t.Errorf("infrastructure's health checks (the platform add-ons): %s %s", c.Status, c.Message)
	}
	if slices.ContainsFunc(ready, time.Time.IsZero) || ready[1].Before(ready[0]) || ready[2].Before(ready[1]) {
		t.Errorf("first applied at %v (infrastructure, database, apps), not in the layers' order", ready)
	}
	for _, c := range []struct {
		layer, holds, not string
	}{
		{"database", "shipshape_postgres_apps_StatefulSet", "shipshape_catalog_apps_Deployment"},
		{"database", "_shipshape__Namespace", "shipshape_gateway_apps_Deployment"},
		{"apps", "shipshape_catalog_apps_Deployment", "shipshape_postgres_apps_StatefulSet"},
	} {
		k := layers[c.layer]
		if !k.holds(c.holds) || k.holds(c.not) {
			t.Errorf("%s holds %s: %v, %s: %v; want the first only", c.layer, c.holds, k.holds(c.holds), c.not, k.holds(c.not))
		}
	}
	t.Logf("layers first applied in order: %v; database %d objects, apps %d",
		ready, len(layers["database"].Status.Inventory.Entries), len(layers["apps"].Status.Inventory.Entries))
}
