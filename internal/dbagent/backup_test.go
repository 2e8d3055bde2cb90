package dbagent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestNextBackup(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	const fullEvery, diffEvery = 7 * 24 * time.Hour, 24 * time.Hour
	for _, tc := range []struct {
		name    string
		backups []backupSet
		want    string
	}{
		{"no backups", nil, typeFull},
		{"only a diff (its full expired)", []backupSet{{typ: typeDiff, stop: ago(time.Hour)}}, typeFull},
		{"full too old", []backupSet{{typ: typeFull, stop: ago(fullEvery + time.Minute)}}, typeFull},
		{"full too old despite a fresh diff", []backupSet{
			{typ: typeFull, stop: ago(fullEvery + time.Minute)},
			{typ: typeDiff, stop: ago(time.Minute)},
		}, typeFull},
		{"full fresh but older than the diff interval", []backupSet{{typ: typeFull, stop: ago(diffEvery + time.Minute)}}, typeDiff},
		{"full fresh, newest diff too old", []backupSet{
			{typ: typeFull, stop: ago(3 * diffEvery)},
			{typ: typeDiff, stop: ago(2 * diffEvery)},
			{typ: typeDiff, stop: ago(diffEvery + time.Minute)},
		}, typeDiff},
		{"all fresh", []backupSet{
			{typ: typeFull, stop: ago(3 * diffEvery)},
			{typ: typeDiff, stop: ago(time.Hour)},
		}, ""},
		{"fresh full alone", []backupSet{{typ: typeFull, stop: ago(time.Hour)}}, ""},
		{"an incr counts as the newest backup", []backupSet{
			{typ: typeFull, stop: ago(3 * diffEvery)},
			{typ: typeDiff, stop: ago(2 * diffEvery)},
			{typ: typeIncr, stop: ago(time.Hour)},
		}, ""},
		{"order does not matter", []backupSet{
			{typ: typeDiff, stop: ago(time.Hour)},
			{typ: typeFull, stop: ago(3 * diffEvery)},
			{typ: typeFull, stop: ago(fullEvery + time.Hour)},
		}, ""},
		{"a stop in the future (clock skew) is fresh", []backupSet{{typ: typeFull, stop: now.Add(time.Minute)}}, ""},
	} {
		if got := nextBackup(now, tc.backups, fullEvery, diffEvery); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// What pgBackRest 2.45 prints for a repository without the stanza, and for
// one it cannot read (both exit 0).
const (
	infoMissingStanza = `[{"archive":[],"backup":[],"cipher":"none","db":[],"name":"shipshape","repo":[{"cipher":"none","key":1,"status":{"code":1,"message":"missing stanza path"}}],"status":{"code":1,"lock":{"backup":{"held":false}},"message":"missing stanza path"}}]`
	infoUnreadable    = `[{"archive":[],"backup":[],"cipher":"none","db":[],"name":"shipshape","repo":[{"cipher":"none","key":1,"status":{"code":99,"message":"[PathOpenError] unable to list file info for path '/repo/backup': [13] Permission denied"}}],"status":{"code":99,"lock":{"backup":{"held":false}},"message":"other"}}]`
	infoNoBackups     = `[{"archive":[],"backup":[],"cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7390000000000000001,"version":"15"}],"name":"shipshape","repo":[{"cipher":"none","key":1,"status":{"code":2,"message":"no valid backups"}}],"status":{"code":2,"lock":{"backup":{"held":false}},"message":"no valid backups"}}]`
	infoTwoBackups    = `[{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000006","min":"000000010000000000000003"}],
"backup":[
 {"archive":{"start":"000000010000000000000003","stop":"000000010000000000000003"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,"info":{"delta":23000000,"repository":{"delta":3000000,"size":3000000},"size":23000000},"label":"20250601-100000F","lsn":{"start":"0/3000028","stop":"0/3000100"},"prior":null,"reference":null,"timestamp":{"start":1748772000,"stop":1748772003},"type":"full"},
 {"archive":{"start":"000000010000000000000005","stop":"000000010000000000000005"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,"info":{"delta":8192,"repository":{"delta":400,"size":3000000},"size":23000000},"label":"20250601-100000F_20250601-110000D","lsn":{"start":"0/5000028","stop":"0/5000100"},"prior":"20250601-100000F","reference":["20250601-100000F"],"timestamp":{"start":1748775600,"stop":1748775601},"type":"diff"}
],
"cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7390000000000000001,"version":"15"}],"name":"shipshape","repo":[{"cipher":"none","key":1,"status":{"code":0,"message":"ok"}}],"status":{"code":0,"lock":{"backup":{"held":true}},"message":"ok"}}]`
)

func TestParseInfo(t *testing.T) {
	got, err := parseInfo([]byte(infoTwoBackups), "shipshape")
	if err != nil {
		t.Fatal(err)
	}
	want := []backupSet{
		{label: "20250601-100000F", typ: typeFull, stop: time.Unix(1748772003, 0)},
		{label: "20250601-100000F_20250601-110000D", typ: typeDiff, stop: time.Unix(1748775601, 0)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].label != want[i].label || got[i].typ != want[i].typ || !got[i].stop.Equal(want[i].stop) {
			t.Errorf("backup %d: got %+v, want %+v", i, got[i], want[i])
		}
	}

	for name, out := range map[string]string{"missing stanza": infoMissingStanza, "no valid backups": infoNoBackups} {
		got, err := parseInfo([]byte(out), "shipshape")
		if err != nil || len(got) != 0 {
			t.Errorf("%s: got %v, %v; want no backups and no error", name, got, err)
		}
	}
}

func TestParseInfoErrors(t *testing.T) {
	for name, tc := range map[string]struct{ out, stanza, want string }{
		"unreadable repository": {infoUnreadable, "shipshape", "Permission denied"},
		"other stanza":          {infoMissingStanza, "orders", "stanza orders not in the output"},
		"not JSON":              {"ERROR: [055]: unable to open missing file", "shipshape", "info:"},
		"empty":                 {"", "shipshape", "info:"},
	} {
		if _, err := parseInfo([]byte(tc.out), tc.stanza); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
}

// standIn writes an executable shell script to stand in for pgbackrest,
// for what needs a process that behaves in a chosen way: slow, failing.
func standIn(t *testing.T, script string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pgbackrest")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBackupPassesStanzaTypeAndEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PGBACKREST_REPO1_PATH", "/some/repo")
	bin := standIn(t, `echo "$@ repo=$PGBACKREST_REPO1_PATH" > "`+dir+`/args"`)
	if err := (pgBackRest{bin: bin, stanza: "shipshape"}).backup(t.Context(), typeDiff); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(string(b)), "--stanza=shipshape backup --type=diff repo=/some/repo"; got != want {
		t.Fatalf("pgbackrest ran with %q, want %q", got, want)
	}
}

func TestBackupFailureReportsTheEndOfTheOutput(t *testing.T) {
	// 5000 bytes of progress on stdout, then the error on stderr.
	bin := standIn(t, `i=0; while [ $i -lt 100 ]; do echo "progress line $i ........................................"; i=$((i+1)); done
echo "ERROR: [082]: WAL segment was not archived before the 60000ms timeout" >&2
exit 82`)
	err := (pgBackRest{bin: bin, stanza: "shipshape"}).backup(t.Context(), typeFull)
	if err == nil {
		t.Fatal("no error for exit status 82")
	}
	msg := err.Error()
	if !strings.Contains(msg, "exit status 82") || !strings.HasSuffix(msg, "before the 60000ms timeout") {
		t.Errorf("error lacks the status or the last line: %q", msg)
	}
	if strings.Contains(msg, "progress line 0 ") || len(msg) > outputTail+200 {
		t.Errorf("error carries more than the output's tail (%d bytes)", len(msg))
	}
}

func TestInfoKeepsLogLinesOffStdout(t *testing.T) {
	// Prints the JSON only when called as the agent must call it.
	bin := standIn(t, `[ "$*" = "--stanza=shipshape --output=json --log-level-console=off info" ] || { echo "args: $*" >&2; exit 1; }
echo "P00 DEBUG: a log line that must go to stderr" >&2
echo '`+infoTwoBackups+`'`)
	backups, err := (pgBackRest{bin: bin, stanza: "shipshape"}).info(t.Context())
	if err != nil || len(backups) != 2 {
		t.Fatalf("got %v, %v; want the two backups", backups, err)
	}
}

func TestInfoFailureReportsStderr(t *testing.T) {
	bin := standIn(t, `echo "ERROR: [055]: unable to open missing file '/etc/pgbackrest.conf'" >&2; exit 55`)
	_, err := (pgBackRest{bin: bin, stanza: "shipshape"}).info(t.Context())
	if err == nil || !strings.Contains(err.Error(), "[055]") {
		t.Fatalf("error %v, want pgbackrest's message", err)
	}
}

// A repository that never answers does not hold the check loop: info gives
// up after its bound, stopping pgBackRest with SIGTERM, and says why.
func TestInfoGivesUpOnAHangingRepository(t *testing.T) {
	bin := standIn(t, `while :; do sleep 0.1; done`)
	start := time.Now()
	_, err := (pgBackRest{bin: bin, stanza: "shipshape", quickTimeout: 300 * time.Millisecond}).info(t.Context())
	if err == nil || !strings.Contains(err.Error(), "did not finish within 300ms") {
		t.Fatalf("error %v, want the timeout named", err)
	}
	if took := time.Since(start); took > stopGrace {
		t.Fatalf("info returned after %s", took)
	}
}

// Cancelling a backup sends SIGTERM, which pgBackRest handles by stopping
// cleanly, and waits for it to exit.
func TestBackupCancelledWithSIGTERM(t *testing.T) {
	dir := t.TempDir()
	started, terminated := filepath.Join(dir, "started"), filepath.Join(dir, "terminated")
	bin := standIn(t, `trap 'echo TERM > "`+terminated+`"; exit 143' TERM
touch "`+started+`"
while :; do sleep 0.1; done`)
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	done := make(chan error, 1)
	go func() { done <- (pgBackRest{bin: bin, stanza: "shipshape"}).backup(ctx, typeFull) }()

	stacktest.Eventually(t, 10*time.Second, "the backup started", func() bool { return fileExists(started) })
	cancel(errors.New("terminated signal received")) // as signal.NotifyContext does
	select {
	case err := <-done:
		// The agent tells its own cancellation from a failed backup by it.
		if err == nil || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "terminated signal received") {
			t.Errorf("error %v, want a cancellation naming its cause", err)
		}
	case <-time.After(stopGrace / 2):
		t.Fatal("backup did not return after cancel")
	}
	// Written by the trap, before the process exited: it was SIGTERM, not
	// SIGKILL, and run waited for the exit.
	if !fileExists(terminated) {
		t.Fatal("pgbackrest did not get SIGTERM")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestTailBuffer(t *testing.T) {
	b := &tailBuffer{max: 8}
	if got := b.String(); got != "(no output)" {
		t.Errorf("empty: %q", got)
	}
	_, _ = b.Write([]byte("abc"))
	if got := b.String(); got != "abc" {
		t.Errorf("short: %q", got)
	}
	_, _ = b.Write([]byte("defghijkl"))
	if got := b.String(); got != "...efghijkl" {
		t.Errorf("cut: %q", got)
	}
}
