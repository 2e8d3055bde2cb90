package dbha_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/pglocal"
)

// startRestored starts a plain PostgreSQL (no Patroni) on a restored data
// directory and waits until recovery has ended and it was promoted.
//
// The directory is a copy of a Patroni member's, so its postgresql.conf
// still names that member's port, archive_command, synchronous standby and
// hba/ident files; the settings below override each of them, or the
// restored server would archive into the live repository, wait for a
// standby that never comes, or read another directory's files.
func startRestored(t testing.TB, c *cluster, dataDir string) *pglocal.Server {
	t.Helper()
	// Trust on loopback only: the restored copy still has Patroni's
	// passwords, which this check should not depend on.
	hba := filepath.Join(c.dir, filepath.Base(dataDir)+".hba.conf")
	c.user.writeFile(t, hba, []byte("host all postgres 127.0.0.1/32 trust\n"))
	port := freePorts(t, 1)[0]
	start := time.Now()
	srv, err := pglocal.Start(context.Background(), pglocal.Options{
		DataDir: dataDir,
		Port:    port,
		BinDir:  c.tools.pgBin,
		LogPath: dataDir + ".log",
		Settings: map[string]string{
			"archive_mode":              "off",
			"synchronous_standby_names": "",
			"hba_file":                  hba,
			"ident_file":                filepath.Join(dataDir, "pg_ident.conf"),
			"primary_conninfo":          "",
			"primary_slot_name":         "",
			"cluster_name":              "restored",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
	waitFor(t, 120*time.Second, "restored server promoted", func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn, err := srv.Connect(ctx, "postgres")
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		var inRecovery bool
		if err := conn.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&inRecovery); err != nil {
			return err
		}
		if inRecovery {
			return fmt.Errorf("still in recovery")
		}
		return nil
	})
	t.Logf("restored server recovered and promoted in %.1fs", time.Since(start).Seconds())
	return srv
}

// recoveryStop returns the line of the restored server's log that says
// where recovery stopped, failing the test when there is none: reaching the
// end of the archived WAL instead would end recovery without one.
func recoveryStop(t testing.TB, srv *pglocal.Server, want string) string {
	t.Helper()
	for line := range strings.Lines(readFile(t, srv.LogPath())) {
		if strings.Contains(line, want) {
			return strings.TrimSpace(line)
		}
	}
	t.Fatalf("restored server's log has no %q:\n%s", want, tail(srv.LogPath(), 30))
	return ""
}
