package pglocal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is Linux's USER_HZ, the unit of /proc/<pid>/stat's times: 100
// on every architecture Go builds for (the kernel fixes it for user space).
const clockTick = 10 * time.Millisecond

// CPUTime is the CPU the running server has used so far, user and system:
// the postmaster and its children (backends, background workers; each
// child leaves the postmaster's process group, so it is found by parent),
// with the children that already exited counted in the postmaster's
// children's times. Benchmarks take the difference of two
// readings to say how much of the machine PostgreSQL took.
func (s *Server) CPUTime() (time.Duration, error) {
	s.mu.Lock()
	p := s.proc
	s.mu.Unlock()
	if p == nil {
		return 0, errors.New("pglocal: the server is not running")
	}
	return familyCPUTime("/proc", p.cmd.Process.Pid)
}

// familyCPUTime sums the CPU times of the process leader and its children,
// reading procfs under root.
func familyCPUTime(root string, leader int) (time.Duration, error) {
	stats, err := filepath.Glob(filepath.Join(root, "[0-9]*", "stat"))
	if err != nil {
		return 0, err
	}
	var ticks int64
	found := false
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue // the process exited meanwhile
		}
		st, err := parseStat(string(data))
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		switch {
		case st.pid == leader:
			ticks += st.utime + st.stime + st.cutime + st.cstime
			found = true
		case st.ppid == leader:
			ticks += st.utime + st.stime
		}
	}
	if !found {
		return 0, fmt.Errorf("pglocal: process %d not found under %s", leader, root)
	}
	return time.Duration(ticks) * clockTick, nil
}

// procStat is what CPUTime needs of one /proc/<pid>/stat line.
type procStat struct {
	pid, ppid                    int
	utime, stime, cutime, cstime int64
}

// parseStat reads a /proc/<pid>/stat line: "pid (comm) state ppid pgrp
// ...", where comm may hold spaces and parentheses, so the fields after it
// are counted from the last ")".
func parseStat(line string) (procStat, error) {
	open, close := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
	if open < 0 || close < open {
		return procStat{}, errors.New("not a stat line")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line[:open]))
	if err != nil {
		return procStat{}, fmt.Errorf("pid: %w", err)
	}
	// after comm: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17)
	f := strings.Fields(line[close+1:])
	if len(f) < 15 {
		return procStat{}, errors.New("too few fields")
	}
	field := func(n int) int64 { // n as numbered in proc(5)
		v, e := strconv.ParseInt(f[n-3], 10, 64)
		if e != nil && err == nil {
			err = fmt.Errorf("field %d: %w", n, e)
		}
		return v
	}
	st := procStat{pid: pid, ppid: int(field(4)), utime: field(14), stime: field(15), cutime: field(16), cstime: field(17)}
	return st, err
}
