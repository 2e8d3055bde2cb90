//go:build cluster

package cluster_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// docs/runbooks/replica-rebuild.md's steps on a replica whose volume is
// lost, with rows written while it is away: the rebuilt member is a copy
// of this cluster (its system identifier), streams on the leader's
// timeline and has every row.
func TestReplicaRebuildDrill(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	rebuild := restoreRunbook(t, "replica-rebuild.md")
	scaleMembers(t, 2)
	stacktest.Eventually(t, 5*time.Minute, "two healthy members", func() bool {
		_, _, ok := clustertest.HealthyMembers(clustertest.PatroniMembers("postgres-0"), 2, false)
		return ok
	})
	drill := fmt.Sprintf("rebuild-%d", time.Now().Unix())
	drillRows(t, drill, "before", 40)
	systemID := memberSQL(t, "SELECT system_identifier FROM pg_control_system()")
	claim := claimUID(t, "data-postgres-1")

	d := clustertest.Drill{Dir: repoRoot, Env: []string{"MEMBER=postgres-1"}}
	began := time.Now()
	d.Run(t, rebuild, "check")
	d.Run(t, rebuild, "wipe")
	drillRows(t, drill, "while-away", 40)
	d.Run(t, rebuild, "watch")
	took := time.Since(began)
	if err := d.Followed(rebuild); err != nil {
		t.Fatal(err)
	}

	if claimUID(t, "data-postgres-1") == claim {
		t.Fatal("postgres-1 kept its old volume claim")
	}
	stacktest.Eventually(t, 2*time.Minute, "the rebuilt member on the leader's timeline with lag 0", func() bool {
		_, _, ok := clustertest.HealthyMembers(clustertest.PatroniMembers("postgres-0"), 2, false)
		return ok
	})
	if got := podSQL(t, namespace, "postgres-1", "SELECT system_identifier FROM pg_control_system()"); got != systemID {
		t.Fatalf("rebuilt postgres-1 has system identifier %s, want the cluster's %s", got, systemID)
	}
	// A standby replays what the repository's archive holds before it
	// connects to the leader, and Patroni reports lag 0 as soon as the replay
	// has caught up: streaming follows, not at once (a cold run caught the
	// receiver not yet started).
	stacktest.Eventually(t, 2*time.Minute, "the rebuilt postgres-1's WAL receiver streaming from the leader", func() bool {
		return podSQL(t, namespace, "postgres-1", "SELECT status FROM pg_stat_wal_receiver") == "streaming"
	})
	// what was committed on the leader reaches the replica
	stacktest.Eventually(t, time.Minute, "every row on the rebuilt replica", func() bool {
		return podSQL(t, namespace, "postgres-1", fmt.Sprintf("SELECT count(*) FROM restore_drill WHERE drill = '%s'", drill)) == "80"
	})
	t.Logf("recovery time %.0fs (from the runbook's first step to the member ready and streaming); "+
		"recovery point: nothing lost, the leader served throughout", took.Seconds())
}
