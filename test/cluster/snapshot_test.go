//go:build cluster

package cluster_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// snapshot is a VolumeSnapshot as the test reads it.
type snapshot struct {
	Name, Claim string
	Ready       bool
}

// dbagentSnapshots lists the VolumeSnapshots dbagent made, oldest first.
func dbagentSnapshots(t *testing.T) []snapshot {
	t.Helper()
	out := kubectl(t, "get", "volumesnapshots", "-l", "app.kubernetes.io/managed-by=dbagent",
		"--sort-by=.metadata.creationTimestamp", "-o", "json")
	var list struct {
		Items []struct {
			Metadata struct{ Name string }
			Spec     struct {
				Source struct{ PersistentVolumeClaimName string }
			}
			Status struct{ ReadyToUse bool }
		}
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	var snaps []snapshot
	for _, s := range list.Items {
		snaps = append(snaps, snapshot{s.Metadata.Name, s.Spec.Source.PersistentVolumeClaimName, s.Status.ReadyToUse})
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

// The storage component's snapshot CronJob, run as its Jobs against the
// real API server: with its own token, Role and network policy it finds
// the leader, snapshots the leader's claim, and keeps the newest 2 usable
// snapshots (the test overlay's SNAPSHOT_KEEP) without ever deleting a
// usable one for a newer one that is not ready. No CSI driver runs here, so
// the test marks snapshots ready as a snapshot controller would.
func TestSnapshotJobSnapshotsTheLeaderAndPrunes(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	t.Cleanup(func() {
		_, _ = kubectlErr("delete", "jobs", "-l", "shipshape.dev/test=snapshot", "--wait=false")
		_, _ = kubectlErr("delete", "volumesnapshots", "-l", "app.kubernetes.io/managed-by=dbagent", "--wait=false")
	})
	runJob := func(n int) []snapshot {
		t.Helper()
		job := fmt.Sprintf("snapshot-test-%d", n)
		kubectl(t, "create", "job", job, "--from=cronjob/postgres-snapshot")
		kubectl(t, "label", "job", job, "shipshape.dev/test=snapshot")
		if out, err := kubectlErr("wait", "--for=condition=Complete", "job/"+job, "--timeout=120s"); err != nil {
			logs, _ := kubectlErr("logs", "job/"+job)
			t.Fatalf("%s did not complete: %v\n%s\n%s\n%s", job, err, out, logs, diagnose())
		}
		return dbagentSnapshots(t)
	}
	markReady := func(s snapshot) {
		t.Helper()
		kubectl(t, "patch", "volumesnapshot", s.Name, "--subresource=status", "--type=merge", "-p", `{"status":{"readyToUse":true}}`)
	}

	snaps := runJob(1)
	if len(snaps) != 1 || snaps[0].Claim != "data-postgres-0" || snaps[0].Ready {
		t.Fatalf("after the first run: %+v, want one new snapshot of data-postgres-0", snaps)
	}
	a := snaps[0]
	markReady(a)
	snaps = runJob(2)
	if len(snaps) != 2 {
		t.Fatalf("after the second run: %v", names(snaps))
	}
	b := snaps[1]
	markReady(b)
	// Two usable and one new: nothing to prune.
	snaps = runJob(3)
	if len(snaps) != 3 || !slices.Equal(names(snaps[:2]), []string{a.Name, b.Name}) {
		t.Fatalf("after the third run: %v, want %s, %s and a new one", names(snaps), a.Name, b.Name)
	}
	c := snaps[2]
	markReady(c)
	// Three usable and one new: the oldest usable one goes.
	snaps = runJob(4)
	if len(snaps) != 3 || !slices.Equal(names(snaps[:2]), []string{b.Name, c.Name}) {
		t.Fatalf("after the fourth run: %v, want %s, %s and a new one (%s pruned)", names(snaps), b.Name, c.Name, a.Name)
	}
}
