package pglocal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeProc writes stat lines as procfs would show them, one per pid.
func fakeProc(t *testing.T, lines ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, l := range lines {
		pid := strings.Fields(l)[0]
		if err := os.MkdirAll(filepath.Join(root, pid), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, pid, "stat"), []byte(l+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// The leader counts with its exited children, its living children with
// their own times only, and other processes not at all; a command name
// with spaces and parentheses does not shift the fields.
func TestFamilyCPUTimeSumsTheLeaderAndItsChildren(t *testing.T) {
	root := fakeProc(t,
		"100 (postgres) S 1 100 100 0 -1 4194560 1 0 0 0 30 20 500 100 20 0 1 0 1 1 1",
		"101 (postgres: app shop 127.0.0.1(4242) idle) S 100 101 101 0 -1 4194560 1 0 0 0 7 3 0 0 20 0 1 0 1 1 1",
		"200 (other) S 1 100 100 0 -1 4194560 1 0 0 0 999 999 0 0 20 0 1 0 1 1 1",
	)
	got, err := familyCPUTime(root, 100)
	want := time.Duration(30+20+500+100+7+3) * clockTick
	if err != nil || got != want {
		t.Fatalf("got %v, %v; want %v", got, err, want)
	}
	if _, err := familyCPUTime(root, 300); err == nil {
		t.Error("a missing leader gave no error")
	}
}

func TestParseStatRefusesGarbage(t *testing.T) {
	for _, line := range []string{"", "100 postgres S 1", "100 (postgres) S 1 100", "x (p) S 1 100 100 0 -1 1 1 0 0 0 a b c d"} {
		if _, err := parseStat(line); err == nil {
			t.Errorf("%q parsed", line)
		}
	}
}
