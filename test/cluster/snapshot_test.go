//go:build cluster

package cluster_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// snapshot is a VolumeSnapshot as the test reads it.
type snapshot struct {
	Name, Claim, RestoreSize, Content string
	Ready                             bool
}

// dbagentSnapshots lists the VolumeSnapshots dbagent made, oldest first,
// but for those being deleted (pruned).
func dbagentSnapshots(t *testing.T) []snapshot {
	t.Helper()
	out := kubectl(t, "get", "volumesnapshots", "-l", "app.kubernetes.io/managed-by=dbagent",
		"--sort-by=.metadata.creationTimestamp", "-o", "json")
	var list struct {
		Items []struct {
			Metadata struct {
				Name              string
				DeletionTimestamp *time.Time
			}
			Spec struct {
				Source struct{ PersistentVolumeClaimName string }
			}
			Status struct {
				ReadyToUse                     bool
				RestoreSize                    string
				BoundVolumeSnapshotContentName string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	var snaps []snapshot
	for _, s := range list.Items {
		if s.Metadata.DeletionTimestamp != nil {
			continue
		}
		snaps = append(snaps, snapshot{s.Metadata.Name, s.Spec.Source.PersistentVolumeClaimName,
			s.Status.RestoreSize, s.Status.BoundVolumeSnapshotContentName, s.Status.ReadyToUse})
	}
	return snaps
}

func names(snaps []snapshot) []string {
	var n []string
	for _, s := range snaps {
		n = append(n, s.Name)
	}
	return n
}

// runSnapshotJob runs the snapshot CronJob once as a Job of its own and
// returns the snapshot it took, once the snapshot controller, the CSI
// sidecar and the driver made it ready to use: a real snapshot of the
// leader's volume (test/cluster/storage), bound to its content, with the
// claim's capacity to restore.
func runSnapshotJob(t *testing.T, job string) snapshot {
	t.Helper()
	before := names(dbagentSnapshots(t))
	kubectl(t, "create", "job", job, "--from=cronjob/postgres-snapshot")
	kubectl(t, "label", "job", job, "shipshape.dev/test=snapshot")
	if out, err := kubectlErr("wait", "--for=condition=Complete", "job/"+job, "--timeout=120s"); err != nil {
		logs, _ := kubectlErr("logs", "job/"+job)
		t.Fatalf("%s did not complete: %v\n%s\n%s\n%s", job, err, out, logs, diagnose())
	}
	var taken snapshot
	stacktest.Eventually(t, 60*time.Second, "the snapshot "+job+" took to be ready to use", func() bool {
		for _, s := range dbagentSnapshots(t) {
			if !slices.Contains(before, s.Name) {
				taken = s
				return s.Ready
			}
		}
		return false
	})
	size := kubectl(t, "get", "pvc", "data-postgres-0", "-o", "jsonpath={.status.capacity.storage}")
	if taken.Claim != "data-postgres-0" || taken.RestoreSize != size || taken.Content == "" {
		t.Fatalf("%s took %+v, want a snapshot of data-postgres-0 (the leader's) bound to its content, restore size %s (the claim's)", job, taken, size)
	}
	handle := kubectl(t, "get", "volumesnapshotcontent", taken.Content, "-o", "jsonpath={.spec.driver} {.status.snapshotHandle}")
	if driver, id, _ := strings.Cut(handle, " "); driver != "btrfs.csi.shipshape.dev" || !strings.HasPrefix(id, "snap-") {
		t.Fatalf("%s: content %s is %q, want a snapshot the btrfs driver took", job, taken.Content, handle)
	}
	return taken
}

// The storage component's snapshot CronJob, run as its Jobs against the
// real API server and storage: with its own token, Role and network policy
// it finds the leader, snapshots the leader's claim, and prunes to the
// newest 2 usable snapshots (the test overlay's SNAPSHOT_KEEP), counting
// only usable ones. Whether the newest is already usable when its own run
// prunes is a race with the snapshot controller, so after a run the newest
// 2 or 3 remain; the choice itself (never a usable snapshot deleted for one
// not ready) is internal/dbsnapshot's unit tests'.
func TestSnapshotJobSnapshotsTheLeaderAndPrunes(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	t.Cleanup(func() {
		_, _ = kubectlErr("delete", "jobs", "-l", "shipshape.dev/test=snapshot", "--wait=false")
		_, _ = kubectlErr("delete", "volumesnapshots", "-l", "app.kubernetes.io/managed-by=dbagent", "--wait=false")
	})
	if left := dbagentSnapshots(t); len(left) > 0 {
		t.Fatalf("snapshots from before the test: %v", names(left))
	}
	var taken []string
	for run := 1; run <= 4; run++ {
		taken = append(taken, runSnapshotJob(t, fmt.Sprintf("snapshot-test-%d", run)).Name)
		got := names(dbagentSnapshots(t))
		newest2, newest3 := taken[max(0, len(taken)-2):], taken[max(0, len(taken)-3):]
		if !slices.Equal(got, newest2) && !slices.Equal(got, newest3) {
			t.Fatalf("after run %d: %v, want the newest 2 or 3 of %v", run, got, taken)
		}
	}
	if slices.Contains(names(dbagentSnapshots(t)), taken[0]) {
		t.Fatalf("after 4 runs the first snapshot %s is still there: nothing was pruned", taken[0])
	}
}
