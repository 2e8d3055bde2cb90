// Package memlimit tells the Go runtime the container's memory limit.
//
// Go sizes GOMAXPROCS from the cgroup's CPU limit on its own, but not its
// heap: without a soft memory limit the collector lets the heap double
// after each cycle (GOGC=100) whatever the cgroup allows, and a burst that
// a limit-aware collector would absorb ends in an OOM kill. The requests
// and limits are set from measured usage (docs/kubernetes.md), so the
// limits are tight enough for that to matter.
package memlimit

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// CgroupFile is where cgroup v2 shows the container's memory limit.
const CgroupFile = "/sys/fs/cgroup/memory.max"

// Share is the part of the cgroup limit given to the Go runtime; the rest
// is for what its soft limit does not count (thread stacks outside the
// heap accounting, the binary's own pages, cgo).
const Share = 0.9

// FromCgroup reads a cgroup v2 memory.max file: the limit in bytes, or
// ok false when there is none (the file is missing, or says "max").
func FromCgroup(path string) (limit int64, ok bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	text := strings.TrimSpace(string(data))
	if text == "max" {
		return 0, false, nil
	}
	limit, err = strconv.ParseInt(text, 10, 64)
	if err != nil || limit <= 0 {
		return 0, false, fmt.Errorf("%s: not a memory limit: %q", path, text)
	}
	return limit, true, nil
}

// Apply sets the runtime's soft memory limit to Share of the cgroup's
// limit read from path, unless GOMEMLIMIT is set (an operator's explicit
// value wins). It returns the limit it set, or 0 when it set none.
func Apply(path string, getenv func(string) string) (int64, error) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, nil
	}
	limit, ok, err := FromCgroup(path)
	if err != nil || !ok {
		return 0, err
	}
	soft := int64(float64(limit) * Share)
	debug.SetMemoryLimit(soft)
	return soft, nil
}

// Describe is the runtime's soft memory limit for a log line: "none", or
// the limit in MiB.
func Describe() string {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		return "none"
	}
	return fmt.Sprintf("%.1f MiB", float64(limit)/(1<<20))
}
