package dbha_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestPointInTimeRestore is docs/runbooks/point-in-time-restore.md: with WAL
// archived to pgBackRest and a full backup, restoring to a time between two
// batches of writes brings back exactly the first batch.
func TestPointInTimeRestore(t *testing.T) {
	c := newCluster(t, clusterOptions{members: 3, backups: true})
	leader := c.leader()
	c.repo.run(t, "stanza-create")
	c.repo.run(t, "check")
	leader.exec(t, "CREATE TABLE items (id bigint PRIMARY KEY, batch text NOT NULL)")
	c.repo.run(t, "--type=full", "backup")

	sets := c.repo.backups(t)
	backupStop := sets[len(sets)-1].Timestamp.Stop

	leader.exec(t, "INSERT INTO items SELECT g, 'A' FROM generate_series(1, 1000) g")
	// The target comes from the server's clock, the one commit times are
	// recorded with: batch A committed before it, batch B after. pgBackRest
	// restores from a backup that stopped before the target, comparing
	// whole seconds, so the target must be in a later second than the
	// backup's end; right after a quick backup it may not be yet.
	var target string
	waitFor(t, 10*time.Second, "server clock past the backup's end", func() error {
		var later bool
		if err := leader.queryRow("SELECT clock_timestamp()::text, clock_timestamp() >= to_timestamp($1)",
			[]any{backupStop + 1}, &target, &later); err != nil {
			return err
		}
		if !later {
			return fmt.Errorf("%s is within the second the backup stopped", target)
		}
		return nil
	})
	leader.exec(t, "INSERT INTO items SELECT g, 'B' FROM generate_series(1001, 2000) g")
	// Close the WAL segment holding batch B and wait until it is archived:
	// recovery must see a commit past the target to know where to stop.
	leader.exec(t, "SELECT pg_switch_wal()")
	c.repo.run(t, "check")

	dataDir := filepath.Join(c.dir, "pitr")
	c.repo.restore(t, dataDir, "--type=time", "--target="+target, "--target-action=promote")
	srv := startRestored(t, c, dataDir)

	conn, err := srv.Connect(context.Background(), "postgres")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var a, b int
	err = conn.QueryRow(context.Background(),
		"SELECT count(*) FILTER (WHERE batch = 'A'), count(*) FILTER (WHERE batch = 'B') FROM items").Scan(&a, &b)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("restored to %s: %d rows of batch A, %d of batch B; %s", target, a, b,
		recoveryStop(t, srv, "recovery stopping before commit"))
	if a != 1000 || b != 0 {
		t.Errorf("restore to %s has %d rows of batch A and %d of batch B, want 1000 and 0", target, a, b)
	}
}
