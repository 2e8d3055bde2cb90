//go:build cluster

package nodes_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// A drain under steady traffic: four replicas spread over three zones
// put two on one node; draining it evicts one, and the eviction of the
// second is refused while it would leave more than one replica down (the
// drain shows the refusal and retries) until the first one's replacement
// is ready on another node. Every request is answered, both pods land on
// the other nodes, and the node is uncordoned.
func TestDrainUnderTrafficRespectsTheDisruptionBudget(t *testing.T) {
	const ns = "nodes-drain"
	url := workload(t, ns, 4, 300)
	before := placement(t, ns)
	t.Logf("before: %v", before)
	if len(before) != want(t) {
		t.Fatalf("4 replicas on %d nodes, want all %d: %v", len(before), want(t), before)
	}
	var target string
	for n, pods := range before {
		if len(pods) == 2 {
			target = n
		}
	}
	if target == "" {
		t.Fatalf("no node holds two replicas: %v", before)
	}
	t.Cleanup(func() { _, _ = clustertest.KubectlIn("", "", "uncordon", target) })

	load := startLoad(t, url, 4)
	start := time.Now()
	out, err := clustertest.KubectlIn("", "", "drain", target, "--pod-selector=app.kubernetes.io/name=web",
		"--ignore-daemonsets", "--timeout=180s")
	if err != nil {
		t.Fatalf("drain %s: %v\n%s", target, err, out)
	}
	t.Logf("drained %s in %s:\n%s", target, since(start), out)
	const refusal = "Cannot evict pod as it would violate the pod's disruption budget"
	if !strings.Contains(out, refusal) {
		t.Errorf("the drain met no refusal (%q): the budget was not in the way of the second eviction", refusal)
	}
	clustertest.Kubectl(t, ns, "rollout", "status", "deployment/web", "--timeout=120s")
	after := placement(t, ns)
	t.Logf("after: %v", after)
	if len(after[target]) != 0 || ready(after) != 4 {
		t.Errorf("after the drain %d replicas are ready, %d on %s: %v", ready(after), len(after[target]), target, after)
	}
	load.Finish(t, 200)
	t.Logf("traffic: %s", load)
	if load.Failed.Load() != 0 {
		t.Errorf("requests failed during the drain: %s", load)
	}
	clustertest.Kubectl(t, "", "uncordon", target)
	if unschedulable := clustertest.Kubectl(t, "", "get", "node", target, "-o", "jsonpath={.spec.unschedulable}"); unschedulable == "true" {
		t.Errorf("%s is still cordoned", target)
	}
}

// A node lost for real (node.sh lose: its kubelet, kube-proxy,
// kube-router, containerd and every process of its pods killed, its link
// cut, nothing deleted through the API): the node turns NotReady, its
// replica (tolerating an unreachable node for 10 s) is replaced on the
// others, and the Service answers every request again. Back, the node
// turns Ready with no manual step and the lost pod's object is gone.
func TestLostNodeIsReplacedAndRejoins(t *testing.T) {
	const ns = "nodes-loss"
	const tolerate = 10
	url := workload(t, ns, 3, tolerate)
	before := placement(t, ns)
	t.Logf("before: %v", before)
	lost := fmt.Sprintf("shipshape-node-%d", want(t))
	if len(before[lost]) != 1 {
		t.Fatalf("want one replica on %s: %v", lost, before)
	}
	lostPod := before[lost][0]

	load := startLoad(t, url, 2)
	start := time.Now()
	nodeScript(t, "lose", want(t))
	t.Cleanup(func() {
		if nodeReady(t, lost) != "True" {
			nodeScript(t, "return", want(t))
		}
	})
	clustertest.Poll(t, 2*time.Minute, time.Second, lost+" to turn NotReady", func() error {
		if s := nodeReady(t, lost); s == "True" {
			return fmt.Errorf("Ready is %s", s)
		}
		return nil
	})
	notReady := since(start)
	clustertest.Poll(t, 2*time.Minute, time.Second, "a replacement of "+lostPod, func() error {
		p := placement(t, ns)
		if ready(p)-len(p[lost]) < 3 {
			return fmt.Errorf("%d ready elsewhere: %v", ready(p)-len(p[lost]), p)
		}
		return nil
	})
	replaced := since(start)
	load.Stop()
	t.Logf("%s NotReady after %s, its replica replaced after %s (tolerating %d s); during the loss %s",
		lost, notReady, replaced, tolerate, load)

	recovered := startLoad(t, url, 2)
	recovered.Finish(t, 300)
	if recovered.Failed.Load() != 0 {
		t.Errorf("after the replacement requests still fail: %s", recovered)
	}

	back := time.Now()
	nodeScript(t, "return", want(t))
	clustertest.Poll(t, 2*time.Minute, time.Second, "the lost pod's object to go", func() error {
		if out, err := clustertest.KubectlIn(ns, "", "get", "pod", lostPod, "--ignore-not-found", "-o", "name"); err != nil || out != "" {
			return fmt.Errorf("%s %v", strings.TrimSpace(out), err)
		}
		return nil
	})
	t.Logf("%s Ready again and %s gone %s after its return", lost, lostPod, since(back))
}
