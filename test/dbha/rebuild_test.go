package dbha_test

import (
	"os"
	"testing"
	"time"
)

// TestReplicaRebuild is docs/runbooks/replica-rebuild.md: a replica whose
// volume is lost (stopped, data directory wiped) comes back empty, Patroni
// clones it from the leader, and it streams with every row, including the
// ones written while it was away.
func TestReplicaRebuild(t *testing.T) {
	c := newCluster(t, clusterOptions{members: 3})
	leader := c.leader()
	leader.exec(t, "CREATE TABLE items (id bigint PRIMARY KEY)")
	leader.exec(t, "INSERT INTO items SELECT generate_series(1, 1000)")
	replica := c.others(leader)[0]
	var oldSystemID int64
	replica.mustQueryRow(t, "SELECT system_identifier FROM pg_control_system()", nil, &oldSystemID)

	replica.stop(t)
	if err := os.RemoveAll(replica.dataDir); err != nil {
		t.Fatal(err)
	}
	leader.exec(t, "INSERT INTO items SELECT generate_series(1001, 1500)")

	replica.start()
	took := c.waitReplicates(replica, leader, 120*time.Second)
	t.Logf("%s re-cloned from %s and streaming %.1fs after its restart", replica.name, leader.name, took.Seconds())

	if n := replica.rowCount(t, "items"); n != 1500 {
		t.Errorf("rebuilt %s has %d rows, want 1500", replica.name, n)
	}
	// A clone shares the cluster's system identifier; a fresh initdb would not.
	var systemID int64
	replica.mustQueryRow(t, "SELECT system_identifier FROM pg_control_system()", nil, &systemID)
	if systemID != oldSystemID {
		t.Errorf("rebuilt %s has system identifier %d, want the cluster's %d", replica.name, systemID, oldSystemID)
	}
	c.waitHealthy(60 * time.Second)
}
