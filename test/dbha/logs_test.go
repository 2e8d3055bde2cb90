package dbha_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// logTails shows the end of every log, so a failure in CI explains itself.
func (c *cluster) logTails() {
	// etcd's, and those of servers started on restored copies.
	logs, _ := filepath.Glob(filepath.Join(c.dir, "*.log"))
	for _, m := range c.members {
		logs = append(logs, m.logPath)
	}
	if c.repo != nil {
		more, _ := filepath.Glob(filepath.Join(c.repo.logDir, "*.log"))
		logs = append(logs, more...)
	}
	for _, path := range logs {
		c.t.Logf("--- last lines of %s ---\n%s", path, tail(path, 30))
	}
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// readFile returns a whole log, for checks on what a process did.
func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
