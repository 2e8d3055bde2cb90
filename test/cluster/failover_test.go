//go:build cluster

package cluster_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// podFreezer is the freezer control of a pod's cgroup on this node (the
// test runs on the node as root): a frozen member is a hung machine that
// neither renews Patroni's lock nor answers, without the orderly shutdown
// that deleting its pod would give it.
func podFreezer(t testing.TB, pod string) (path string, frozen, thawed string) {
	t.Helper()
	uid := strings.TrimSpace(kubectl(t, "get", "pod", pod, "-o", "jsonpath={.metadata.uid}"))
	for _, pattern := range []string{
		"/sys/fs/cgroup/freezer/kubepods/pod" + uid + "/freezer.state", // cgroup v1
		"/sys/fs/cgroup/freezer/kubepods/*/pod" + uid + "/freezer.state",
		"/sys/fs/cgroup/kubepods/pod" + uid + "/cgroup.freeze", // cgroup v2
		"/sys/fs/cgroup/kubepods/*/pod" + uid + "/cgroup.freeze",
	} {
		if found, _ := filepath.Glob(pattern); len(found) == 1 {
			if strings.HasSuffix(found[0], "cgroup.freeze") {
				return found[0], "1", "0"
			}
			return found[0], "FROZEN", "THAWED"
		}
	}
	t.Fatalf("no freezer cgroup for pod %s (uid %s)", pod, uid)
	return "", "", ""
}

// A failover on the real API server, with synchronous replication as
// staging and production run it: three members (the test lifts the
// one-per-node rule, as this cluster has one node), a writer committing
// numbered rows through the postgres Service, the leader's pod frozen. The
// synchronous standby takes Patroni's lock, the Service follows it, the
// writer carries on, the frozen leader's pod loses the leader label to the
// new leader's fence, every acknowledged row is there, and the old leader,
// thawed, rejoins as a replica on the new timeline. The cluster is then put
// back as the development overlay has it.
func TestFailoverOnKubernetesLosesNoAcknowledgedWrite(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	dsn := clustertest.CatalogDSN(t, "verify-ca")

	scaleMembers(t, 3)
	clustertest.Patronictl(t, "postgres-0", "edit-config", "--set", "synchronous_mode=true", "--force")

	var leader, standby string
	stacktest.Eventually(t, 5*time.Minute, "three healthy members, one a synchronous standby", func() bool {
		var ok bool
		leader, standby, ok = clustertest.HealthyMembers(clustertest.PatroniMembers("postgres-0"), 3, true)
		return ok
	})
	if leader != "postgres-0" {
		t.Fatalf("leader %s after scaling, want postgres-0", leader)
	}
	t.Logf("members up: leader %s, synchronous standby %s", leader, standby)

	w := clustertest.StartProbeWriter(t, dsn, "failover_probe")
	stacktest.Eventually(t, time.Minute, "the writer to commit 200 rows", func() bool { return w.Count() >= 200 })

	freezer, frozen, thawed := podFreezer(t, "postgres-0")
	thaw := func() { _ = os.WriteFile(freezer, []byte(thawed), 0) }
	t.Cleanup(thaw)
	if err := os.WriteFile(freezer, []byte(frozen), 0); err != nil {
		t.Fatal(err)
	}
	start, before := time.Now(), w.Count()
	stacktest.Eventually(t, 90*time.Second, "Patroni to promote another member", func() bool {
		return clustertest.PatroniLeader() != "postgres-0" && clustertest.PatroniLeader() != ""
	})
	promoted := clustertest.PatroniLeader()
	t.Logf("%s promoted %.1fs after the leader froze (%d rows acknowledged before)", promoted, time.Since(start).Seconds(), before)
	if promoted != standby {
		t.Errorf("promoted %s, but the synchronous standby was %s", promoted, standby)
	}
	checkLeaderIs(t, promoted)
	// The frozen pod still carries the leader label (its Patroni cannot
	// change it); the new leader's dbagent takes it off and counts it
	// (internal/dbagent/fence.go), with its own token and the postgres Role.
	stacktest.Eventually(t, 15*time.Second, "the new leader's dbagent to take the leader label off the frozen postgres-0", func() bool {
		out, err := kubectlErr("get", "pod", "postgres-0", "-o", `jsonpath={.metadata.labels.shipshape\.dev/postgres-role}`)
		return err == nil && strings.TrimSpace(out) == "" &&
			agentMetrics(t, promoted)["shipshape_dbagent_leader_labels_removed_total"] >= 1
	})
	stacktest.Eventually(t, time.Minute, "the writer to commit through the new leader", func() bool { return w.Count() >= before+200 })
	t.Logf("writes paused for %.1fs at most", w.LongestPause(start).Seconds())
	thaw()
	acked := w.Finish()
	present := clustertest.CountPresent(t, dsn, "failover_probe", acked)
	t.Logf("%d rows acknowledged, %d of them present on %s", len(acked), present, promoted)
	if present != len(acked) {
		t.Fatalf("%d acknowledged rows lost in the failover", len(acked)-present)
	}

	// The old leader rejoins as a replica on the new timeline: pg_rewind,
	// a restart and catching up, which took over 3 min once on a slow,
	// busy machine.
	clustertest.AwaitRejoin(t, promoted, 3, 5*time.Minute)
}

// scaleMembers runs n PostgreSQL members on this one-node cluster, with
// postgres-0 leading, and puts the database back as the development overlay
// has it when the test ends. The one-per-node rule is lifted first, with
// postgres-0 alone: the StatefulSet replaces it with the new template and
// it comes back as the leader; only then do the other members come. (Lifting
// the rule and scaling in one step, then replacing postgres-0 by hand, raced
// the StatefulSet controller of Kubernetes 1.37.2 once: it failed to write
// its status, "currentReplicas: Invalid value: -1", and recreated
// postgres-0 from the old template, whose rule then kept it off the node
// the new members already held.)
func scaleMembers(t *testing.T, n int) {
	affinity := kubectl(t, "get", "statefulset", "postgres", "-o", "jsonpath={.spec.template.spec.affinity}")
	t.Cleanup(func() { restoreSingleMember(t, affinity) })
	kubectl(t, "patch", "statefulset", "postgres", "--type=json", "-p", `[{"op":"remove","path":"/spec/template/spec/affinity"}]`)
	if out, err := kubectlErr("rollout", "status", "statefulset/postgres", "--timeout=240s"); err != nil {
		t.Fatalf("postgres-0 not replaced without the one-per-node rule: %v\n%s\n%s", err, out, diagnose())
	}
	checkLeaderIs(t, "postgres-0")
	kubectl(t, "scale", "statefulset", "postgres", fmt.Sprintf("--replicas=%d", n))
}

// restoreSingleMember puts the database back as the development overlay
// deploys it: asynchronous, postgres-0 leading alone, one member per node,
// the extra members' claims gone. Each step is checked before the next, in
// this order: a CI run once ended with postgres-0 alone and unable to start
// ("requested timeline 3 does not contain minimum recovery point ... on
// timeline 2"): the lock's annotation named postgres-0 before it had
// promoted, the members went, and one of them, behind it, had been
// promoted meanwhile, leaving postgres-0 a replica of a timeline it could
// not follow alone.
func restoreSingleMember(t *testing.T, affinity string) {
	pod := clustertest.PatroniLeader()
	if pod == "" {
		pod = "postgres-0"
	}
	n, err := strconv.Atoi(kubectl(t, "get", "statefulset", "postgres", "-o", "jsonpath={.spec.replicas}"))
	if err != nil {
		t.Fatal(err)
	}
	stacktest.Eventually(t, time.Minute, "synchronous replication off in Patroni's configuration", func() bool {
		_, _ = kubectlErr("exec", pod, "-c", "postgres", "--", "patronictl", "edit-config", "--set", "synchronous_mode=false", "--force")
		out, err := kubectlErr("exec", pod, "-c", "postgres", "--", "patronictl", "show-config")
		return err == nil && strings.Contains(out, "synchronous_mode: false")
	})
	// postgres-0 leading and running, every other member streaming its
	// timeline with nothing to replay: only then may the others go
	stacktest.Eventually(t, 3*time.Minute, "postgres-0 leading every member on its timeline", func() bool {
		if leader := clustertest.PatroniLeader(); leader != "postgres-0" && leader != "" {
			_, _ = kubectlErr("exec", leader, "-c", "postgres", "--", "patronictl", "switchover",
				"--leader", leader, "--candidate", "postgres-0", "--force")
		}
		l, _, ok := clustertest.HealthyMembers(clustertest.PatroniMembers("postgres-0"), n, false)
		return ok && l == "postgres-0"
	})
	// the other members go first, with postgres-0's pod as it is
	kubectl(t, "scale", "statefulset", "postgres", "--replicas=1")
	stacktest.Eventually(t, 2*time.Minute, "postgres-0 leading alone", func() bool {
		l, _, ok := clustertest.HealthyMembers(clustertest.PatroniMembers("postgres-0"), 1, false)
		return ok && l == "postgres-0"
	})
	// then its template (one member per node again): it restarts alone
	patch, _ := json.Marshal([]map[string]any{
		{"op": "add", "path": "/spec/template/spec/affinity", "value": json.RawMessage(affinity)},
	})
	kubectl(t, "patch", "statefulset", "postgres", "--type=json", "-p", string(patch))
	if out, err := kubectlErr("rollout", "status", "statefulset/postgres", "--timeout=240s"); err != nil {
		list, _ := kubectlErr("exec", "postgres-0", "-c", "postgres", "--", "patronictl", "list")
		t.Fatalf("postgres did not roll back to one member: %v\n%s\nPatroni's members:\n%s\n%s", err, out, list, diagnose())
	}
	for _, claim := range []string{"data-postgres-1", "data-postgres-2", "backups-postgres-1", "backups-postgres-2"} {
		_, _ = kubectlErr("delete", "pvc", claim, "--wait=false", "--ignore-not-found")
	}
	checkLeaderIs(t, "postgres-0")
	stacktest.Eventually(t, 2*time.Minute, "postgres-0 alone in Patroni's member list", func() bool {
		ms := clustertest.PatroniMembers("postgres-0")
		return len(ms) == 1 && slices.ContainsFunc(ms, func(m clustertest.PatroniMember) bool { return m.Role == "Leader" })
	})
	rolledOut(t)
	servingAgain(t, apiURL(t))
}
