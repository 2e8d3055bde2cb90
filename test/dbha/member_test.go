package dbha_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// member is one Patroni member and the PostgreSQL it manages.
type member struct {
	c                                          *cluster
	name                                       string
	dir, dataDir, sockDir, configPath, logPath string
	pgPort, apiPort                            int
	patroni                                    *proc // the latest run
}

// start runs Patroni for m as the server user.
func (m *member) start() {
	env := []string{
		"PATH=" + m.c.tools.pgBin + ":/usr/bin:/bin",
		"HOME=" + m.dir,
		"LC_ALL=C.UTF-8", "LANG=C.UTF-8", // initdb's locale, whatever the caller's
	}
	if r := m.c.repo; r != nil && r.memberEnv != nil {
		env = append(env, r.memberEnv(m)...)
	}
	m.patroni = startProc(m.c.t, procSpec{
		name:    "patroni " + m.name,
		argv:    []string{m.c.tools.patroni, m.configPath},
		dir:     m.dir,
		env:     env,
		logPath: m.logPath,
		user:    &m.c.user,
	})
}

// kill9 is a crash of the whole node: SIGKILL to Patroni, the postmaster
// and every backend, nothing shut down cleanly.
func (m *member) kill9(t testing.TB) {
	t.Helper()
	pm := m.postmasterPID()
	if pm == 0 {
		t.Fatalf("%s has no running postmaster to kill", m.name)
	}
	_ = syscall.Kill(-m.patroni.pid(), syscall.SIGKILL)
	_ = syscall.Kill(pm, syscall.SIGKILL)
	// Backends each lead a process group of their own, so they are found
	// by their working directory, the data directory.
	killProcessesIn(m.dataDir)
	m.waitDown(t)
}

// stop is an orderly shutdown: Patroni stops PostgreSQL and exits.
func (m *member) stop(t testing.TB) {
	t.Helper()
	if err := m.patroni.terminate(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	m.waitDown(t)
}

// waitDown waits until Patroni and every PostgreSQL process of m are gone,
// so its data directory may be touched.
func (m *member) waitDown(t testing.TB) {
	t.Helper()
	waitFor(t, 30*time.Second, m.name+" down", func() error {
		if m.patroni.running() {
			return fmt.Errorf("patroni (pid %d) still running", m.patroni.pid())
		}
		if pids := processesIn(m.dataDir); len(pids) > 0 {
			return fmt.Errorf("postgres processes %v still running", pids)
		}
		return nil
	})
}

// killPostgres kills m's postmaster and backends if they still run.
func (m *member) killPostgres() { killProcessesIn(m.dataDir) }

// postmasterPID reads postmaster.pid and returns the pid if that process is
// running in m's data directory (the file outlives a crash), else 0.
func (m *member) postmasterPID() int {
	b, err := os.ReadFile(filepath.Join(m.dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil || pid <= 0 {
		return 0
	}
	cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	if err != nil || cwd != m.dataDir {
		return 0
	}
	return pid
}
