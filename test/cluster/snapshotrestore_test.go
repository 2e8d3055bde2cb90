//go:build cluster

package cluster_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// The snapshot restore drill: the leader's volume is snapshotted by the
// snapshot job, rows are written after it, the volume is lost, and
// snapshot-restore.md with restore mode brings the database back from the
// snapshot: exactly the rows from before it, on a new timeline, Patroni
// leading, a new full backup taken (which fails if the restored server's
// WAL collides with the archive's), the shop serving.
func TestSnapshotRestoreDrill(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	snapRunbook := restoreRunbook(t, "snapshot-restore.md")
	mode := restoreRunbook(t, "restore-mode.md")
	drill := fmt.Sprintf("snapshot-%d", time.Now().Unix())
	t.Cleanup(func() {
		_, _ = kubectlErr("delete", "jobs", "-l", "shipshape.dev/test=snapshot", "--wait=false")
		_, _ = kubectlErr("delete", "volumesnapshots", "-l", "app.kubernetes.io/managed-by=dbagent", "--wait=false")
	})

	timeline := func() string { return memberSQL(t, currentTimeline) }
	drillRows(t, drill, "before", 40)
	snap := runSnapshotJob(t, "snapshot-drill")
	taken := time.Now()
	drillRows(t, drill, "after", 40)
	before := timeline()
	lostClaim := claimUID(t, "data-postgres-0")
	kubectl(t, "delete", "pvc", "data-postgres-0", "--wait=false")
	lost := time.Now()

	d := clustertest.Drill{Dir: repoRoot, Env: []string{"SNAPSHOT=" + snap.Name}}
	d.Run(t, snapRunbook, "list")
	d.Run(t, mode, "enter")
	d.Run(t, snapRunbook, "claim")
	d.Run(t, snapRunbook, "start")
	checkDrillRows(t, drill, map[string]int{"before": 40})
	if after := timeline(); after <= before {
		t.Fatalf("the restored server writes timeline %s, want one after the snapshot's %s", after, before)
	}
	d.Run(t, mode, "stop")
	d.Run(t, mode, "leave")
	checkLeaderIs(t, "postgres-0")
	rolledOut(t)
	servingAgain(t, apiURL(t))
	checkDrillRows(t, drill, map[string]int{"before": 40})
	if claimUID(t, "data-postgres-0") == lostClaim {
		t.Fatal("postgres-0 runs on the lost claim, not on the one restored from the snapshot")
	}
	if src := kubectl(t, "get", "pvc", "data-postgres-0", "-o", "jsonpath={.spec.dataSource.name}"); src != snap.Name {
		t.Fatalf("postgres-0's claim comes from %q, want the snapshot %s", src, snap.Name)
	}
	// restore mode whole, but for its start: the runbook's own replaces it
	if err := errors.Join(d.Followed(snapRunbook), d.FollowedExcept(mode, "start")); err != nil {
		t.Fatal(err)
	}
	t.Logf("recovery time %.0fs (from the volume's loss to the shop serving again); "+
		"recovery point: the snapshot, %.0fs before the loss (what was committed after it is gone)",
		time.Since(lost).Seconds(), lost.Sub(taken).Seconds())
}
