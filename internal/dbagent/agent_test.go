package dbagent

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// The whole agent on a member that does not lead and whose repository
// cannot be read: it serves its admin endpoints, reports both facts, logs
// each once however many checks run, does no leader work, and stops
// cleanly. The leader's side runs against real Patroni and pgBackRest in
// test/dbha.
func TestRunOnAReplicaWithAnUnreadableRepository(t *testing.T) {
	var asked atomic.Int32
	patroni := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer patroni.Close()
	cfg, err := loadConfig(map[string]string{
		"DBAGENT_PATRONI_URL":   patroni.URL,
		"DBAGENT_ADMIN_ADDR":    "127.0.0.1:0",
		"DBAGENT_CHECK_EVERY":   "10ms",
		"DBAGENT_PASSWORDS_DIR": t.TempDir() + "/unused",
		"DBAGENT_DATABASE_URL":  "host=/nonexistent user=postgres",
		"DBAGENT_PGBACKREST":    standIn(t, `echo "ERROR: [055]: unable to open missing file" >&2; exit 55`),
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &logtest.Buffer{}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrCh := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, logging.New(logs, slog.LevelDebug), func(a string) { addrCh <- a }) }()
	var addr string
	select {
	case addr = <-addrCh:
	case err := <-done:
		t.Fatalf("run returned at once: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("admin server not listening")
	}

	if code, body := get(t, "http://"+addr+"/healthz"); code != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Errorf("/healthz: %d %s", code, body)
	}
	stacktest.Eventually(t, 10*time.Second, "several checks", func() bool { return asked.Load() >= 5 })
	_, metrics := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		"shipshape_dbagent_leader 0",
		"shipshape_backup_repo_up 0",
		`shipshape_backup_interval_seconds{type="full"} 604800`,
		`shipshape_backup_interval_seconds{type="diff"} 86400`,
		`shipshape_backup_runs_total{result="success",type="full"} 0`,
		`shipshape_role_sync_runs_total{result="failure"} 0`,
		"go_goroutines",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(metrics, MetricBackupLastSuccess) {
		t.Errorf("last_success reported without any backup")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	out := logs.String()
	for what, n := range map[string]int{`"role":"replica"`: 1, "backup repository unreadable": 1, "[055]": 1, "dbagent stopped": 1} {
		if got := strings.Count(out, what); got != n {
			t.Errorf("%q logged %d times, want %d:\n%s", what, got, n, out)
		}
	}
	for _, never := range []string{"role sync", "roles synced", "stanza-create", "stanza ready", "backup started"} {
		if strings.Contains(out, never) {
			t.Errorf("a replica logged %q:\n%s", never, out)
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// leaderAgent is an agent that leads, on a ready primary, with a clock the
// test moves and pgbackrest standing in as script: info prints an empty
// repository, stanza-create succeeds, backup runs backupScript.
func leaderAgent(t *testing.T, backupScript string) (*agent, *time.Time) {
	t.Helper()
	cfg, err := loadConfig(map[string]string{
		"DBAGENT_PASSWORDS_DIR":      t.TempDir(), // no roles: nothing to sync
		"DBAGENT_BACKUP_RETRY_AFTER": "5m",
		"DBAGENT_PGBACKREST": standIn(t, `case "$*" in
*" info") echo '`+infoNoBackups+`' ;;
*" stanza-create") ;;
*" backup "*) `+backupScript+` ;;
*) echo "unexpected: $*" >&2; exit 1 ;;
esac`),
	})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	a := newAgent(cfg, logging.New(io.Discard, slog.LevelDebug), newMetrics(reg, cfg))
	clock := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	a.now = func() time.Time { return clock }
	a.isLeader = func(context.Context) (bool, error) { return true, nil }
	a.primary = func(context.Context) (primaryState, error) { return primaryState{writable: true, settled: true}, nil }
	t.Cleanup(a.stopBackup)
	return a, &clock
}

// waitBackupDone waits for the running backup's process to end.
func waitBackupDone(t *testing.T, a *agent) {
	t.Helper()
	if a.running == nil {
		t.Fatal("no backup running")
	}
	select {
	case <-a.running.done:
	case <-time.After(10 * time.Second):
		t.Fatal("backup did not end")
	}
}

func TestFailedBackupRetriedAfterTheRetryInterval(t *testing.T) {
	calls := filepath.Join(t.TempDir(), "calls")
	a, clock := leaderAgent(t, `echo "$*" >> "`+calls+`"; echo "ERROR: [050]: unable to acquire lock" >&2; exit 50`)
	ctx := t.Context()

	a.check(ctx) // empty repository: a full backup starts
	waitBackupDone(t, a)
	*clock = clock.Add(time.Second)
	a.check(ctx) // records the failure; too soon to retry
	if a.running != nil {
		t.Fatal("retried at once")
	}
	if got := testutil.ToFloat64(a.m.backupRuns.WithLabelValues(typeFull, "failure")); got != 1 {
		t.Fatalf("full failures %v, want 1", got)
	}
	*clock = clock.Add(5*time.Minute - time.Second)
	a.check(ctx)
	if a.running != nil {
		t.Fatal("retried before the retry interval passed")
	}
	*clock = clock.Add(time.Second)
	a.check(ctx)
	if a.running == nil {
		t.Fatal("not retried once the retry interval passed")
	}
	waitBackupDone(t, a)
	b, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "backup --type=full"); got != 2 {
		t.Fatalf("pgbackrest backup ran %d times, want 2:\n%s", got, b)
	}
}

func TestLosingLeadershipCancelsTheBackupWithoutCountingIt(t *testing.T) {
	dir := t.TempDir()
	started, terminated := filepath.Join(dir, "started"), filepath.Join(dir, "terminated")
	a, _ := leaderAgent(t, `trap 'touch "`+terminated+`"; exit 143' TERM; touch "`+started+`"; while :; do sleep 0.1; done`)
	ctx := t.Context()

	a.check(ctx)
	stacktest.Eventually(t, 10*time.Second, "the backup started", func() bool { return fileExists(started) })
	a.isLeader = func(context.Context) (bool, error) { return false, nil }
	a.check(ctx) // waits for pgbackrest to stop
	if a.running != nil {
		t.Fatal("backup still running after leadership was lost")
	}
	if !fileExists(terminated) {
		t.Fatal("pgbackrest did not get SIGTERM")
	}
	for _, result := range []string{"success", "failure"} {
		if got := testutil.ToFloat64(a.m.backupRuns.WithLabelValues(typeFull, result)); got != 0 {
			t.Errorf("full %s counted %v times for a cancelled backup", result, got)
		}
	}
	if !a.lastFailure.IsZero() {
		t.Error("a cancelled backup delays the next attempt")
	}
}
