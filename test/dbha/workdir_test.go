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

// Each test works in its own directory under the temp dir. Every process a
// test starts has its working directory inside it (postgres chdirs into its
// data directory), which is how leftovers are found and killed without
// touching anyone else's processes, such as a concurrent run of these tests.
const (
	workDirPrefix = "shipshape-dbha-"
	ownerFile     = "owner" // "<pid> <start time>" of the test binary that owns the directory
)

// newWorkDir creates the test's directory. Its cleanup, registered first and
// so run last, kills whatever still runs inside it and removes it.
func newWorkDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", workDirPrefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		killProcessesIn(dir)
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("remove %s: %v", dir, err)
		}
	})
	// As root, the server user (postgres) must be able to traverse it and
	// its parents.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if err := checkTraversable(dir); err != nil {
			t.Fatal(err)
		}
	}
	self := os.Getpid()
	if err := os.WriteFile(filepath.Join(dir, ownerFile), fmt.Appendf(nil, "%d %s", self, processStart(self)), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func checkTraversable(dir string) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("%s is not traversable by other users, so the postgres user cannot reach %s; "+
				"set TMPDIR to a directory that is (e.g. /tmp)", p, dir)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// sweepAbandonedWorkDirs cleans up after runs that died without their
// cleanups (a go test timeout, a killed binary): directories whose owner
// process is gone.
func sweepAbandonedWorkDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), workDirPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // being created right now, or not ours
		}
		pidText, start, _ := strings.Cut(string(b), " ")
		pid, err := strconv.Atoi(pidText)
		if err != nil || processStart(pid) == start {
			continue // its owner still runs
		}
		killProcessesIn(dir)
		_ = os.RemoveAll(dir)
	}
}

// killProcessesIn SIGKILLs every process whose working directory is dir or
// below it, again until none is left (a dying postmaster may still fork).
func killProcessesIn(dir string) {
	deadline := time.Now().Add(20 * time.Second)
	for {
		pids := processesIn(dir)
		if len(pids) == 0 || time.Now().After(deadline) {
			return
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func processesIn(dir string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err != nil {
			continue // gone, a zombie, or a kernel thread
		}
		cwd = strings.TrimSuffix(cwd, " (deleted)")
		if cwd == dir || strings.HasPrefix(cwd, dir+"/") {
			pids = append(pids, pid)
		}
	}
	return pids
}

// processStart is the start time of pid in clock ticks since boot (field 22
// of /proc/PID/stat), which with the pid identifies a process even after the
// pid is reused; "" if there is no such process.
func processStart(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// The command name (field 2) may contain spaces; it ends at the last ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 20 {
		return ""
	}
	return fields[19]
}
