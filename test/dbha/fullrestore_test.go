package dbha_test

import (
	"context"
	"path/filepath"
	"testing"
)

// contentsQuery summarises a table so two servers can be compared exactly.
const contentsQuery = `SELECT count(*), coalesce(md5(string_agg(id || ':' || batch || ':' || note, ',' ORDER BY id)), '')
                       FROM items`

// TestFullBackupRestore is docs/runbooks/full-restore.md: a full and a
// differential backup, then the latest backup restored into an empty
// directory holds exactly what was committed before it, and nothing later.
func TestFullBackupRestore(t *testing.T) {
	c := newCluster(t, clusterOptions{members: 3, backups: true})
	leader := c.leader()
	c.repo.run(t, "stanza-create")
	c.repo.run(t, "check")
	leader.exec(t, "CREATE TABLE items (id bigint PRIMARY KEY, batch text NOT NULL, note text NOT NULL)")
	leader.exec(t, "INSERT INTO items SELECT g, 'full', md5(g::text) FROM generate_series(1, 5000) g")
	c.repo.run(t, "--type=full", "backup")

	// Changes only the differential backup carries.
	leader.exec(t, "INSERT INTO items SELECT g, 'diff', md5(g::text) FROM generate_series(5001, 6000) g")
	leader.exec(t, "UPDATE items SET note = 'changed' WHERE id % 10 = 0")
	leader.exec(t, "DELETE FROM items WHERE id % 7 = 0")
	c.repo.run(t, "--type=diff", "backup")
	var wantRows int
	var wantSum string
	leader.mustQueryRow(t, contentsQuery, nil, &wantRows, &wantSum)

	leader.exec(t, "INSERT INTO items SELECT g, 'later', '' FROM generate_series(6001, 7000) g")

	sets := c.repo.backups(t)
	if len(sets) != 2 || sets[0].Type != "full" || sets[1].Type != "diff" || sets[1].Prior != sets[0].Label {
		t.Fatalf("want a full backup and a differential on it, got %+v", sets)
	}

	// The latest backup, recovered only to the point where it is consistent.
	dataDir := filepath.Join(c.dir, "restored")
	c.repo.restore(t, dataDir, "--type=immediate", "--target-action=promote")
	srv := startRestored(t, c, dataDir)

	conn, err := srv.Connect(context.Background(), "postgres")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var gotRows int
	var gotSum string
	if err := conn.QueryRow(context.Background(), contentsQuery).Scan(&gotRows, &gotSum); err != nil {
		t.Fatal(err)
	}
	t.Logf("restored %s (differential on %s): %d rows, checksum %s; at backup time %d rows, checksum %s; %s",
		sets[1].Label, sets[0].Label, gotRows, gotSum, wantRows, wantSum,
		recoveryStop(t, srv, "recovery stopping after reaching consistency"))
	if gotRows != wantRows || gotSum != wantSum {
		t.Errorf("restored data differs from what was committed before the backup: %d rows (%s), want %d (%s)",
			gotRows, gotSum, wantRows, wantSum)
	}
}
