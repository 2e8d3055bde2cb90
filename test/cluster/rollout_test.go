//go:build cluster

package cluster_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// runningPods lists the Running pods with the given labels that are not
// being deleted.
func runningPods(t *testing.T, selector string) []string {
	t.Helper()
	out := kubectl(t, "get", "pods", "-l", selector,
		"--field-selector=status.phase=Running",
		"-o", `jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}`)
	var names []string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 1 {
			names = append(names, f[0])
		}
	}
	return names
}

// podNames lists every pod the selector matches, terminating ones too.
func podNames(t *testing.T, selector string) []string {
	t.Helper()
	return strings.Fields(kubectl(t, "get", "pods", "-l", selector, "-o", `jsonpath={.items[*].metadata.name}`))
}

const catalogSelector = "app.kubernetes.io/name=catalog,app.kubernetes.io/component=api"

func catalogPods(t *testing.T) []string { return runningPods(t, catalogSelector) }

// catalogTraffic is what depends on catalog: its REST facade through the
// gateway (kube-proxy balances the ClusterIP), and a customer's cart, which
// cart fills in from catalog over gRPC (client-side round robin over the
// headless Service's addresses).
func catalogTraffic(t *testing.T) []clustertest.Target {
	t.Helper()
	api := apiURL(t)
	_, me := customer(t, api)
	status, listing := stacktest.Call(t, "GET", api+"/products?pageSize=1", "", nil)
	if status != 200 {
		t.Fatalf("products: %d %v", status, listing)
	}
	id := listing["products"].([]any)[0].(map[string]any)["id"]
	if status, body := stacktest.Call(t, "POST", api+"/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":1}`, id), me); status != 200 {
		t.Fatalf("add to cart: %d %v", status, body)
	}
	return []clustertest.Target{{URL: api + "/products?pageSize=3"}, {URL: api + "/cart", Header: me}}
}

// A rolling update of catalog under steady load through the public API
// loses no request: the new pod is Ready before the old one stops being an
// endpoint, and the old one drains what it accepted.
func TestRollingUpdateOfCatalogLosesNoRequest(t *testing.T) {
	rolledOut(t)
	rollingUpdateLosesNoRequest(t, "catalog", catalogSelector, catalogTraffic(t))
}

// rollingUpdateLosesNoRequest restarts deployment (its pods: selector)
// while 4 workers send traffic, and fails if any request failed or an old
// pod survived.
func rollingUpdateLosesNoRequest(t *testing.T, deployment, selector string, traffic []clustertest.Target) {
	t.Helper()
	before := runningPods(t, selector)
	l := clustertest.StartLoad(4, traffic...)
	stacktest.Eventually(t, time.Minute, "load to start", func() bool { return l.OK.Load() >= 50 })

	kubectl(t, "rollout", "restart", "deployment/"+deployment)
	if out, err := kubectlErr("rollout", "status", "deployment/"+deployment, "--timeout=240s"); err != nil {
		t.Fatalf("rollout: %v\n%s\n%s", err, out, diagnose())
	}
	l.Finish(t, 200)

	after := runningPods(t, selector)
	for _, p := range after {
		if slices.Contains(before, p) {
			t.Fatalf("pod %s survived the rollout (before %v, after %v)", p, before, after)
		}
	}
	if l.Failed.Load() != 0 {
		t.Fatalf("rolling update lost requests: %s", l)
	}
	t.Logf("rolling update of %s (%v -> %v): %s", deployment, before, after, l)
}

// A deleted pod is replaced while traffic continues: with two replicas the
// other one serves while the ReplicaSet starts a new pod.
func TestDeletedPodIsReplacedWhileTrafficContinues(t *testing.T) {
	rolledOut(t)
	kubectl(t, "scale", "deployment/catalog", "--replicas=2")
	t.Cleanup(func() { _, _ = kubectlErr("scale", "deployment/catalog", "--replicas=1") })
	if out, err := kubectlErr("rollout", "status", "deployment/catalog", "--timeout=240s"); err != nil {
		t.Fatalf("scale to 2: %v\n%s\n%s", err, out, diagnose())
	}
	before := catalogPods(t)
	if len(before) != 2 {
		t.Fatalf("catalog pods %v, want 2", before)
	}
	l := clustertest.StartLoad(4, catalogTraffic(t)...)
	stacktest.Eventually(t, time.Minute, "load to start", func() bool { return l.OK.Load() >= 50 })

	victim := before[0]
	kubectl(t, "delete", "pod", victim, "--wait=false")
	var replacement string
	stacktest.Eventually(t, 3*time.Minute, "a replacement pod to be Ready", func() bool {
		for _, p := range catalogPods(t) {
			if p == victim || p == before[1] {
				continue
			}
			if out, err := kubectlErr("get", "pod", p, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`); err == nil && out == "True" {
				replacement = p
				return true
			}
		}
		return false
	})
	l.Finish(t, 200)
	if l.Failed.Load() != 0 {
		t.Fatalf("requests failed while %s was replaced by %s: %s", victim, replacement, l)
	}
	t.Logf("%s replaced by %s: %s", victim, replacement, l)
}
