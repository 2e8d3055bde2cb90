//go:build cluster

package cluster_test

import (
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// The restore drills run the runbooks' own step blocks (docs/runbooks,
// "```sh step:<name>") against this cluster, in the runbooks' order, and
// check the data between them. Each marks its rows in the table
// restore_drill (database postgres) with a name of its own.

func restoreRunbook(t *testing.T, name string) clustertest.Runbook {
	return clustertest.MustReadRunbook(t, repoRoot+"/docs/runbooks/"+name)
}

// repoRoot is where the runbooks' steps run (they name files from there).
const repoRoot = "../.."

// podSQL runs one statement with psql in the postgres container of a pod
// in namespace ns (a member, or a restored copy) as the superuser, over the
// local socket as the runbooks do, and returns its unaligned output.
func podSQL(t *testing.T, ns, pod, sql string) string {
	t.Helper()
	return strings.TrimSpace(clustertest.Kubectl(t, ns, "exec", pod, "-c", "postgres", "--",
		"psql", "-v", "ON_ERROR_STOP=1", "-Atc", sql))
}

// memberSQL is podSQL on postgres-0, the leader of the drills.
func memberSQL(t *testing.T, sql string) string {
	t.Helper()
	return podSQL(t, namespace, "postgres-0", sql)
}

// drillRows writes n rows of one batch of a drill in one transaction.
func drillRows(t *testing.T, drill, batch string, n int) {
	t.Helper()
	memberSQL(t, "CREATE TABLE IF NOT EXISTS restore_drill (drill text NOT NULL, batch text NOT NULL, n int NOT NULL)")
	memberSQL(t, fmt.Sprintf("INSERT INTO restore_drill SELECT '%s', '%s', g FROM generate_series(1, %d) g", drill, batch, n))
}

// checkDrillRows fails unless the drill's rows on postgres-0 are exactly
// want (batch -> row count): a batch missing, short, or present when it
// must not be.
func checkDrillRows(t *testing.T, drill string, want map[string]int) {
	t.Helper()
	checkDrillRowsIn(t, namespace, "postgres-0", drill, want)
}

// checkDrillRowsIn is checkDrillRows on another pod (a restored copy).
func checkDrillRowsIn(t *testing.T, ns, pod, drill string, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	out := podSQL(t, ns, pod, fmt.Sprintf("SELECT batch, count(*) FROM restore_drill WHERE drill = '%s' GROUP BY batch", drill))
	for line := range strings.Lines(out) {
		batch, count, _ := strings.Cut(strings.TrimSpace(line), "|")
		n, err := strconv.Atoi(count)
		if err != nil {
			t.Fatalf("row counts %q: %v", out, err)
		}
		got[batch] = n
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("drill %s on %s/%s: rows per batch %v, want exactly %v", drill, ns, pod, got, want)
	}
}

// claimUID tells one claim of that name from another: the drills check
// that a member runs on a new claim, not the one whose volume was lost.
func claimUID(t *testing.T, name string) string {
	t.Helper()
	return kubectl(t, "get", "pvc", name, "-o", "jsonpath={.metadata.uid}")
}

// backupNow takes a backup of the given type as backups.md does and
// returns when it stopped (pgBackRest's own record, Unix seconds).
func backupNow(t *testing.T, kind string) int64 {
	t.Helper()
	// dbagent may be taking a backup of its own (a restarted leader's, or
	// its schedule's): pgBackRest then refuses a second one with its lock
	// error (code 50) until that one ends, which a CI run met; any other
	// failure fails at once.
	clustertest.Poll(t, 5*time.Minute, 2*time.Second, "a "+kind+" backup", func() error {
		out, err := kubectlErr("exec", "postgres-0", "-c", "postgres", "--", "pgbackrest", "--stanza=shipshape", "--type="+kind, "backup")
		if err != nil && !strings.Contains(out, "unable to acquire lock") {
			t.Fatalf("pgbackrest backup: %v\n%s", err, out)
		}
		return err
	})
	var info []struct {
		Backup []struct {
			Type      string
			Timestamp struct{ Stop int64 }
		}
	}
	out := kubectl(t, "exec", "postgres-0", "-c", "postgres", "--", "pgbackrest", "--stanza=shipshape", "--output=json", "info")
	if err := json.Unmarshal([]byte(out), &info); err != nil || len(info) != 1 || len(info[0].Backup) == 0 {
		t.Fatalf("pgbackrest info: %v\n%s", err, out)
	}
	last := info[0].Backup[len(info[0].Backup)-1]
	if last.Type != kind {
		t.Fatalf("the latest backup is a %s one, want the %s just taken", last.Type, kind)
	}
	return last.Timestamp.Stop
}

// targetAfter is a restore target: the server's clock now (after the rows
// the drill wrote before it committed), with its UTC offset, at least a
// second after the backup that stopped at stopped (Unix seconds), as
// point-in-time-restore.md asks.
func targetAfter(t *testing.T, stopped int64) string {
	t.Helper()
	var target string
	stacktest.Eventually(t, 30*time.Second, "the server's clock a second past the backup", func() bool {
		at := memberSQL(t, "SELECT extract(epoch FROM clock_timestamp())::bigint || ' ' || "+
			"to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
		secs, when, _ := strings.Cut(at, " ")
		n, _ := strconv.ParseInt(secs, 10, 64)
		target = when
		return n > stopped+1
	})
	return target
}

// restoreInRestoreMode runs restore mode around the restore runbook's
// "restore" step (restore-mode.md: enter, then the restore, start, stop,
// leave), checks that exactly the drill's want rows are in the restored
// copy and, once Patroni leads it behind the postgres Service, still
// there with the shop serving again; and that the drill followed both
// runbooks whole.
func restoreInRestoreMode(t *testing.T, d *clustertest.Drill, restore clustertest.Runbook, drill string, want map[string]int) {
	t.Helper()
	mode := restoreRunbook(t, "restore-mode.md")
	d.Run(t, mode, "enter")
	d.Run(t, restore, "restore")
	d.Run(t, mode, "start")
	checkDrillRows(t, drill, want)
	d.Run(t, mode, "stop")
	d.Run(t, mode, "leave")
	checkLeaderIs(t, "postgres-0")
	rolledOut(t)
	servingAgain(t, apiURL(t))
	checkDrillRows(t, drill, want)
	if err := d.Followed(restore, mode); err != nil {
		t.Fatal(err)
	}
}

func TestPointInTimeRestoreDrill(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	pitr := restoreRunbook(t, "point-in-time-restore.md")
	drill := fmt.Sprintf("pitr-%d", time.Now().Unix())

	stopped := backupNow(t, "full")
	drillRows(t, drill, "before", 50)
	target := targetAfter(t, stopped)
	drillRows(t, drill, "after", 50)
	checkDrillRows(t, drill, map[string]int{"before": 50, "after": 50})

	d := clustertest.Drill{Dir: repoRoot, Env: []string{"TARGET=" + target}}
	began := time.Now()
	d.Run(t, pitr, "archive")
	restoreInRestoreMode(t, &d, pitr, drill, map[string]int{"before": 50})
	t.Logf("recovery time %.0fs (from the archive check to the shop serving again); "+
		"recovery point: the target %s, every commit up to it kept", time.Since(began).Seconds(), target)
}

func TestFullRestoreDrill(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	full := restoreRunbook(t, "full-restore.md")
	drill := fmt.Sprintf("full-%d", time.Now().Unix())

	drillRows(t, drill, "before", 30)
	// a differential backup on the full one of the cluster: the latest
	// backup to restore is the two together
	stopped := backupNow(t, "diff")
	drillRows(t, drill, "after", 30)
	// The member's volume is lost: its claim is deleted while the member
	// runs, and goes with the pod when restore mode stops it.
	lostClaim := claimUID(t, "data-postgres-0")
	kubectl(t, "delete", "pvc", "data-postgres-0", "--wait=false")
	lost := time.Now()

	d := clustertest.Drill{Dir: repoRoot}
	d.Run(t, full, "info")
	restoreInRestoreMode(t, &d, full, drill, map[string]int{"before": 30})
	if claimUID(t, "data-postgres-0") == lostClaim {
		t.Fatal("postgres-0 runs on the lost claim, not on a new one")
	}
	t.Logf("recovery time %.0fs (from the volume's loss to the shop serving again); "+
		"recovery point: the latest backup, %ds before the loss (what was committed after it is gone)",
		time.Since(lost).Seconds(), lost.Unix()-stopped)
}

// currentTimeline is the timeline a server writes WAL on, as the 8 hex
// digits of its WAL and history file names.
const currentTimeline = "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"

func TestRestoreCopyDrill(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	copyRunbook := restoreRunbook(t, "restore-copy.md")
	drill := fmt.Sprintf("copy-%d", time.Now().Unix())
	const ns = "shipshape-restore-copy"
	t.Cleanup(func() { _, _ = kubectlIn("", "", "delete", "namespace", ns, "--wait=false", "--ignore-not-found") })

	stopped := backupNow(t, "diff")
	drillRows(t, drill, "before", 20)
	target := targetAfter(t, stopped)
	drillRows(t, drill, "after", 20)
	timeline := memberSQL(t, currentTimeline)

	d := clustertest.Drill{Dir: repoRoot, Env: []string{"COPY=" + ns, "TARGET=" + target}}
	began := time.Now()
	d.Run(t, copyRunbook, "archive")
	d.Run(t, copyRunbook, "create")
	d.Run(t, copyRunbook, "restore")
	took := time.Since(began)
	checkDrillRowsIn(t, ns, "postgres-copy", drill, map[string]int{"before": 20})
	copyTimeline := podSQL(t, ns, "postgres-copy", currentTimeline)
	d.Run(t, copyRunbook, "remove")
	if err := d.Followed(copyRunbook); err != nil {
		t.Fatal(err)
	}

	// Production untouched: the same leader on the same timeline with
	// both batches, and nothing of the copy's timeline in the repository.
	checkLeaderIs(t, "postgres-0")
	if now := memberSQL(t, currentTimeline); now != timeline {
		t.Fatalf("production moved from timeline %s to %s", timeline, now)
	}
	checkDrillRows(t, drill, map[string]int{"before": 20, "after": 20})
	archive := kubectl(t, "exec", "postgres-0", "-c", "postgres", "--", "pgbackrest", "--stanza=shipshape",
		"repo-ls", "--recurse", "archive")
	if copyTimeline == timeline {
		t.Fatalf("the copy writes on production's timeline %s", timeline)
	}
	// the timeline's history file, WAL directory and segments all start
	// with its 8 digits
	for line := range strings.Lines(archive) {
		if strings.HasPrefix(path.Base(strings.TrimSpace(line)), copyTimeline) {
			t.Fatalf("the copy's timeline %s (production's %s) reached the repository: %s", copyTimeline, timeline, line)
		}
	}
	t.Logf("copy restored to %s and queryable %.0fs after the runbook's first step, on timeline %s beside production's %s",
		target, took.Seconds(), copyTimeline, timeline)
}
