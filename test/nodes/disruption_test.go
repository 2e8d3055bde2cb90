//go:build cluster

package nodes_test

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// refusal is how the API server refuses an eviction that would break a
// disruption budget.
const refusal = "Cannot evict pod as it would violate the pod's disruption budget"

// workerOtherThan is a node other than node 1 (this machine, which the
// tests run on) that does not hold the PostgreSQL member named.
func workerOtherThan(t *testing.T, s shopState, member string) string {
	t.Helper()
	for _, n := range nodes(t) {
		if _, ok := workerNumber(n.Name); ok && s.memberNode[member] != n.Name {
			return n.Name
		}
	}
	t.Fatalf("every other node holds %s: %v", member, s.memberNode)
	return ""
}

// workerNumber is the number of a node node.sh started (2 and up, named
// shipshape-node-I); not ok for node 1, this machine.
func workerNumber(node string) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(node, "shipshape-node-%d", &i); err != nil || i < 2 {
		return 0, false
	}
	return i, true
}

// replacedOff waits until every Deployment of the shop has its three
// replicas ready on nodes other than node (drained or lost).
func replacedOff(t *testing.T, s shopState, node string) {
	t.Helper()
	clustertest.Poll(t, 3*time.Minute, 2*time.Second, "every Deployment's three replicas ready off "+node, func() error {
		for _, d := range s.deployments {
			if p := placement(t, shop, "app.kubernetes.io/name="+d); ready(p) != 3 || len(p[node]) != 0 {
				return fmt.Errorf("%s: %v", d, p)
			}
		}
		return nil
	})
}

// memberOn is the PostgreSQL member on a node.
func memberOn(s shopState, node string) string {
	for m, n := range s.memberNode {
		if n == node {
			return m
		}
	}
	return ""
}

// kubectl drain of a node under the shop's steady traffic: every pod on it
// is evicted within the disruption budgets, the Deployments' replacements
// start on the other nodes (the spread does not count a cordoned node),
// and every request is answered. The PostgreSQL member there cannot move
// (its volume is on that node), so the database runs one member short
// until the node is back, and meanwhile the budget refuses the eviction of
// another member. Uncordoned, the node takes its member back, which
// rejoins as a replica.
func TestDrainUnderShopTrafficKeepsEveryBudget(t *testing.T) {
	s := steadyShop(t)
	target := workerOtherThan(t, s, s.leader)
	drained := memberOn(s, target)
	t.Cleanup(func() { _, _ = clustertest.KubectlIn("", "", "uncordon", target) })

	load := shopLoad(t)
	start := time.Now()
	out, err := clustertest.KubectlIn("", "", "drain", target, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=240s")
	if err != nil {
		t.Fatalf("drain %s: %v\n%s", target, err, out)
	}
	t.Logf("drained %s in %s:\n%s", target, since(start), out)

	replacedOff(t, s, target)
	t.Logf("the Deployments' replacements ready %s after the drain began", since(start))

	// The drained member's pod is pending; another member's eviction would
	// leave two of three down.
	other := s.leader
	if err := evict(shop, other); err == nil || !strings.Contains(err.Error(), refusal) {
		t.Fatalf("evicting %s with %s away: %v, want the budget's refusal", other, drained, err)
	} else {
		t.Logf("evicting %s with %s away: %v", other, drained, err)
	}

	load.Finish(t, 100)
	t.Logf("traffic during the drain: %s", load)
	if load.Failed.Load() != 0 {
		t.Errorf("requests failed during the drain: %s", load)
	}

	clustertest.Kubectl(t, "", "uncordon", target)
	back := time.Now()
	clustertest.AwaitRejoin(t, s.leader, 3, 4*time.Minute)
	after := steadyShop(t)
	if after.memberNode[drained] != target {
		t.Errorf("%s back on %s, want %s (its volume's node)", drained, after.memberNode[drained], target)
	}
	t.Logf("%s uncordoned: %s rejoined and the shop in shape again after %s", target, drained, since(back))
}

// A node lost for real (node.sh lose: its kubelet, kube-proxy,
// kube-router, containerd and every process of its pods killed, its link
// cut, nothing deleted through the API) while it holds Patroni's leader,
// under the shop's traffic and a writer committing numbered rows: the
// synchronous standby takes the leader lock within 30 s, the lost
// leader leaves the postgres Service within 15 s of that (dbagent's fence),
// no acknowledged row is lost and the writes pause under 30 s; the node
// turns NotReady, its Deployments' pods are replaced on the others 30 s
// later (their toleration) and the shop answers every request again. When the node
// returns, its member rejoins as a replica of the new leader with no
// manual step.
func TestLostNodeWithTheDatabaseLeader(t *testing.T) {
	s := steadyShop(t)
	// The leader on a node the test may lose (not node 1, which runs the
	// tests): where it is, or else where its synchronous standby is, the
	// only member Patroni switches over to in synchronous mode.
	victim := s.leader
	if _, ok := workerNumber(s.memberNode[victim]); !ok {
		victim = s.syncStandby
		clustertest.Patronictl(t, s.leader, "switchover", "--leader", s.leader, "--candidate", victim, "--force")
		s = steadyShop(t)
		if s.leader != victim {
			t.Fatalf("after the switchover %s leads, want %s", s.leader, victim)
		}
	}
	lost := s.memberNode[victim]
	i, ok := workerNumber(lost)
	if !ok {
		t.Fatalf("the leader %s is on %s, not on a node the test may lose", victim, lost)
	}
	t.Logf("leader %s on %s, synchronous standby %s on %s", victim, lost, s.syncStandby, s.memberNode[s.syncStandby])

	dsn := clustertest.CatalogDSN(t, "verify-ca")
	w := clustertest.StartProbeWriter(t, dsn, "node_loss_probe")
	clustertest.Poll(t, time.Minute, time.Second, "the writer to commit 200 rows", func() error {
		if n := w.Count(); n < 200 {
			return fmt.Errorf("%d committed", n)
		}
		return nil
	})
	load := shopLoad(t)

	start, before := time.Now(), w.Count()
	nodeScript(t, "lose", i)
	t.Cleanup(func() {
		if nodeReady(t, lost) != "True" {
			nodeScript(t, "return", i)
		}
	})
	clustertest.Poll(t, 90*time.Second, 500*time.Millisecond, "Patroni to promote another member", func() error {
		if l := clustertest.PatroniLeader(); l == victim || l == "" {
			return fmt.Errorf("leader %q", l)
		}
		return nil
	})
	promoted, promotedAfter := clustertest.PatroniLeader(), since(start)
	if promoted != s.syncStandby {
		t.Errorf("promoted %s, but the synchronous standby was %s", promoted, s.syncStandby)
	}
	// The lost leader's pod keeps Patroni's leader label (nothing on its
	// node can change it); the new leader's dbagent takes it off, so the
	// postgres Service stops sending connections to a dead address long
	// before the node controller marks the pod not ready (32 s after the
	// promotion in a run without the fence).
	clustertest.Poll(t, 15*time.Second, 250*time.Millisecond, "the postgres Service to drop "+victim, func() error {
		out := clustertest.Kubectl(t, shop, "get", "endpointslices", "-l", "kubernetes.io/service-name=postgres",
			"-o", "jsonpath={.items[*].endpoints[*].targetRef.name}")
		if slices.Contains(strings.Fields(out), victim) {
			return fmt.Errorf("endpoints %s", out)
		}
		return nil
	})
	fenced := since(start)
	clustertest.Poll(t, time.Minute, time.Second, "the writer to commit 200 rows through the new leader", func() error {
		if n := w.Count(); n < before+200 {
			return fmt.Errorf("%d committed since the loss", n-before)
		}
		return nil
	})
	outage := w.LongestPause(start)
	acked := w.Finish()
	present := clustertest.CountPresent(t, dsn, "node_loss_probe", acked)
	t.Logf("%s promoted %s after the loss, %s out of the postgres Service after %s; writes paused for %.1f s at most; %d rows acknowledged, %d present",
		promoted, promotedAfter, victim, fenced, outage.Seconds(), len(acked), present)
	if present != len(acked) {
		t.Errorf("%d acknowledged rows lost", len(acked)-present)
	}
	// Patroni's part, which production/high-availability/replication.yml
	// bounds (ttl 15 + loop_wait 4), then PostgreSQL's promotion and the
	// clients finding the new leader behind the Service.
	if promotedAfter >= 30*time.Second {
		t.Errorf("the leader lock moved %s after the loss, want under 30 s", promotedAfter)
	}
	if outage >= 30*time.Second {
		t.Errorf("writes paused for %.1f s, want under 30 s", outage.Seconds())
	}

	clustertest.Poll(t, 2*time.Minute, time.Second, lost+" to turn NotReady", func() error {
		if s := nodeReady(t, lost); s == "True" {
			return fmt.Errorf("Ready is %s", s)
		}
		return nil
	})
	notReady := since(start)
	replacedOff(t, s, lost)
	replaced := since(start)
	load.Stop()
	t.Logf("%s NotReady after %s, its pods replaced after %s (they tolerate an unreachable node for 30 s); traffic meanwhile: %s",
		lost, notReady, replaced, load)
	recovered := shopLoad(t)
	recovered.Finish(t, 200)
	if recovered.Failed.Load() != 0 {
		t.Errorf("after the replacement requests still fail: %s", recovered)
	}

	back := time.Now()
	nodeScript(t, "return", i)
	clustertest.AwaitRejoin(t, promoted, 3, 4*time.Minute)
	logs, _ := clustertest.KubectlIn(shop, "", "logs", victim, "-c", "postgres")
	rewound := "without pg_rewind (its WAL had not gone past the new leader's)"
	if strings.Contains(logs, "pg_rewind") {
		rewound = "with pg_rewind"
	}
	t.Logf("%s back: %s rejoined as a replica %s, %s after the return", lost, victim, rewound, since(back))
	steadyShop(t)
}

// nodeScript runs test/cluster/node.sh ACTION for node number i.
func nodeScript(t *testing.T, action string, i int) {
	t.Helper()
	out, err := exec.Command(clustertest.RepoPath(t, "test", "cluster", "node.sh"), action, fmt.Sprint(i)).CombinedOutput()
	if err != nil {
		t.Fatalf("node.sh %s %d: %v\n%s", action, i, err, out)
	}
	t.Logf("node.sh %s %d: %s", action, i, strings.TrimSpace(string(out)))
}

// nodeReady is the Ready condition's status of a node ("True", "False",
// "Unknown").
func nodeReady(t *testing.T, name string) string {
	t.Helper()
	return clustertest.Kubectl(t, "", "get", "node", name, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`)
}

// since is the time from start, rounded to a tenth of a second.
func since(start time.Time) time.Duration { return time.Since(start).Round(100 * time.Millisecond) }
