package dbha_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// backupStanza names the pgBackRest stanza, as in production.
const backupStanza = "shipshape"

// backupRepo is a pgBackRest repository on a local directory, fed by the
// archive_command of every member. Every path pgBackRest uses is inside the
// test's directory: its defaults (/var/log, /tmp, /var/spool) are shared
// with the rest of the machine.
type backupRepo struct {
	c        *cluster
	confPath string
	logDir   string

	// Set by a repository configured as in production (s3_repo_test.go);
	// newBackupRepo leaves them zero.
	env []string // added to the environment of every pgbackrest run here
	// memberEnv is added to Patroni's environment, which PostgreSQL and so
	// archive_command and restore_command inherit.
	memberEnv              func(*member) []string
	archiveCmd, restoreCmd string // used verbatim instead of the commands below
}

// newBackupRepo writes the configuration. All members are listed as pg1..pgN
// so that a backup finds whichever is primary now.
func newBackupRepo(t testing.TB, c *cluster) *backupRepo {
	t.Helper()
	dir := filepath.Join(c.dir, "pgbackrest")
	r := &backupRepo{c: c, confPath: filepath.Join(dir, "pgbackrest.conf"), logDir: filepath.Join(dir, "log")}
	for _, d := range []string{dir, r.logDir, filepath.Join(dir, "repo"), filepath.Join(dir, "lock"), filepath.Join(dir, "spool")} {
		c.user.mkdir(t, d, 0o750)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[global]\nrepo1-path=%s\nrepo1-retention-full=2\n", filepath.Join(dir, "repo"))
	fmt.Fprintf(&b, "log-path=%s\nlock-path=%s\nspool-path=%s\n", r.logDir, filepath.Join(dir, "lock"), filepath.Join(dir, "spool"))
	// start-fast: back up now rather than after the next scheduled checkpoint.
	b.WriteString("log-level-console=warn\nlog-level-file=detail\ncompress-type=zst\nstart-fast=y\n")
	fmt.Fprintf(&b, "\n[%s]\n", backupStanza)
	for i, m := range c.members {
		fmt.Fprintf(&b, "pg%d-path=%s\npg%d-port=%d\npg%d-socket-path=%s\n", i+1, m.dataDir, i+1, m.pgPort, i+1, m.sockDir)
	}
	c.user.writeFile(t, r.confPath, []byte(b.String()))
	return r
}

// base is the start of every pgBackRest command line.
func (r *backupRepo) base() string {
	return fmt.Sprintf("%s --config=%s --stanza=%s", r.c.tools.pgbackrest, r.confPath, backupStanza)
}

// archiveCommand pushes m's WAL; --pg1-path says which member's it is.
func (r *backupRepo) archiveCommand(m *member) string {
	if r.archiveCmd != "" {
		return r.archiveCmd
	}
	return fmt.Sprintf("%s --pg1-path=%s archive-push %%p", r.base(), m.dataDir)
}

func (r *backupRepo) restoreCommand(m *member) string {
	if r.restoreCmd != "" {
		return r.restoreCmd
	}
	return fmt.Sprintf(`%s --pg1-path=%s archive-get %%f "%%p"`, r.base(), m.dataDir)
}

// run runs pgbackrest as the server user with args after --config and
// --stanza, fails the test on error, and returns the output.
func (r *backupRepo) run(t testing.TB, args ...string) string {
	t.Helper()
	start := time.Now()
	out, err := r.tryRun(nil, args...)
	if err != nil {
		t.Fatalf("pgbackrest %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("pgbackrest %s: %.1fs", strings.Join(args, " "), time.Since(start).Seconds())
	return out
}

// tryRun is run for a command that may fail; env overrides r.env.
func (r *backupRepo) tryRun(env []string, args ...string) (string, error) {
	argv := append(strings.Fields(r.base()), args...)
	return runCommand(context.Background(), procSpec{
		argv: argv,
		dir:  r.c.dir,
		// The last of duplicate variables wins (os/exec).
		env:  slices.Concat([]string{"PATH=/usr/bin:/bin", "HOME=" + r.c.dir}, r.env, env),
		user: &r.c.user,
	}, 5*time.Minute)
}

// backupSet is one backup as `pgbackrest info --output=json` lists it.
type backupSet struct {
	Label     string `json:"label"`
	Type      string `json:"type"` // full, diff, incr
	Prior     string `json:"prior"`
	Timestamp struct {
		Stop int64 `json:"stop"` // Unix seconds
	} `json:"timestamp"`
	Archive struct {
		Start string `json:"start"` // the first WAL segment it needs
	} `json:"archive"`
}

// backups lists the stanza's backups, oldest first.
func (r *backupRepo) backups(t testing.TB) []backupSet {
	t.Helper()
	out := r.run(t, "--output=json", "info")
	var stanzas []struct {
		Name   string      `json:"name"`
		Backup []backupSet `json:"backup"`
	}
	if err := json.Unmarshal([]byte(out), &stanzas); err != nil {
		t.Fatalf("pgbackrest info: %v\n%s", err, out)
	}
	if len(stanzas) != 1 || stanzas[0].Name != backupStanza {
		t.Fatalf("pgbackrest info: want stanza %s, got %s", backupStanza, out)
	}
	return stanzas[0].Backup
}

// restore restores into a new, empty dataDir, as onto a fresh volume.
// Without --set pgBackRest takes the latest backup that suits the target
// (there is no --set=latest).
func (r *backupRepo) restore(t testing.TB, dataDir string, args ...string) {
	t.Helper()
	r.c.user.mkdir(t, dataDir, 0o700)
	r.run(t, append([]string{"--pg1-path=" + dataDir}, append(args, "restore")...)...)
}
