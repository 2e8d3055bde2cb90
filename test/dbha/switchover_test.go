package dbha_test

import (
	"strings"
	"testing"
	"time"
)

// TestSwitchover is the planned hand-over of docs/runbooks/switchover.md:
// patronictl switchover to the synchronous standby (the only candidate
// Patroni accepts in synchronous mode). The candidate leads, the old leader
// streams from it, and nothing written before is lost.
func TestSwitchover(t *testing.T) {
	c := newCluster(t, clusterOptions{members: 3})
	old := c.leader()
	old.exec(t, "CREATE TABLE items (id bigint PRIMARY KEY)")
	old.exec(t, "INSERT INTO items SELECT generate_series(1, 1000)")
	candidate := c.syncStandby()

	start := time.Now()
	out := old.patronictl(t, "switchover", "--leader", old.name, "--candidate", candidate.name, "--force")
	if want := `Successfully switched over to "` + candidate.name + `"`; !strings.Contains(out, want) {
		t.Fatalf("patronictl switchover did not report %s:\n%s", want, out)
	}
	leader, _ := waitLeader(t, []*member{candidate}, 60*time.Second)
	t.Logf("%s leads %.1fs after the switchover began", leader.name, time.Since(start).Seconds())
	if old.isLeader() {
		t.Fatalf("%s still reports leader", old.name)
	}

	took := c.waitReplicates(old, leader, 120*time.Second)
	t.Logf("old leader %s streams from %s after %.1fs more", old.name, leader.name, took.Seconds())
	for _, m := range []*member{leader, old} {
		if n := m.rowCount(t, "items"); n != 1000 {
			t.Errorf("%s has %d of the 1000 rows written before the switchover", m.name, n)
		}
	}
	// The cluster is whole again: a leader, a sync standby, all streaming.
	if got := c.waitHealthy(60 * time.Second); got != leader {
		t.Errorf("after the switchover %s leads, want %s", got.name, leader.name)
	}
}
