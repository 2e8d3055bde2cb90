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
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/mountinfo"
)

// ProcSelf is where the kernel describes this process: its cgroups and
// its mounts, from which the limit's file is found.
const ProcSelf = "/proc/self"

// Share is the part of the cgroup limit given to the Go runtime; the rest
// is for what its soft limit does not count (thread stacks outside the
// heap accounting, the binary's own pages, cgo).
const Share = 0.9

// unlimitedV1 is where cgroup v1 "no limit" values start (the kernel
// shows the largest page-aligned int64 there).
const unlimitedV1 = 1 << 62

// Apply sets the runtime's soft memory limit to Share of this process's
// cgroup memory limit (cgroup v2 or v1, found through procSelf), unless
// GOMEMLIMIT is set: an operator's explicit value wins. It returns the
// limit it set, or 0 when it set none (no limit, or no cgroup).
func Apply(procSelf string, getenv func(string) string) (int64, error) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, nil
	}
	limit, ok, err := Read(procSelf)
	if err != nil || !ok {
		return 0, err
	}
	soft := int64(float64(limit) * Share)
	debug.SetMemoryLimit(soft)
	return soft, nil
}

// Read returns this process's cgroup memory limit in bytes, or ok false
// when there is none. Like Go's own CPU limit lookup, it reads the
// process's cgroup from procSelf/cgroup and where that cgroup is mounted
// from procSelf/mountinfo, so it works whether the container sees its own
// cgroup at the mount's root (a cgroup namespace, or runc's v1 bind
// mounts) or the whole hierarchy.
func Read(procSelf string) (limit int64, ok bool, err error) {
	cgroups, err := os.ReadFile(filepath.Join(procSelf, "cgroup"))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil // not Linux, or no procfs: nothing to follow
	}
	if err != nil {
		return 0, false, err
	}
	mounts, err := os.ReadFile(filepath.Join(procSelf, "mountinfo"))
	if err != nil {
		return 0, false, err
	}
	file, v1, found := limitFile(string(cgroups), string(mounts))
	if !found {
		return 0, false, nil
	}
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil // the root cgroup has no limit file
	}
	if err != nil {
		return 0, false, err
	}
	text := strings.TrimSpace(string(data))
	if !v1 && text == "max" {
		return 0, false, nil
	}
	limit, err = strconv.ParseInt(text, 10, 64)
	if err != nil || limit <= 0 {
		return 0, false, fmt.Errorf("%s: not a memory limit: %q", file, text)
	}
	if v1 && limit >= unlimitedV1 {
		return 0, false, nil
	}
	return limit, true, nil
}

// limitFile is the memory limit file of the process's cgroup: v1's memory
// controller when it has one (then v2 holds no memory controller), else
// v2's.
func limitFile(cgroups, mounts string) (path string, v1, found bool) {
	var v1Path, v2Path string
	hasV1, hasV2 := false, false
	for line := range strings.Lines(cgroups) {
		// hierarchy-ID:controller-list:cgroup-path
		parts := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			v2Path, hasV2 = parts[2], true
		case slices.Contains(strings.Split(parts[1], ","), "memory"):
			v1Path, hasV1 = parts[2], true
		}
	}
	for _, m := range mountinfo.Parse(mounts) {
		switch {
		case hasV1 && m.FSType == "cgroup" && slices.Contains(m.SuperOptions, "memory"):
			if rel, ok := under(v1Path, m.Root); ok {
				return filepath.Join(m.MountPoint, rel, "memory.limit_in_bytes"), true, true
			}
		case !hasV1 && hasV2 && m.FSType == "cgroup2":
			if rel, ok := under(v2Path, m.Root); ok {
				return filepath.Join(m.MountPoint, rel, "memory.max"), false, true
			}
		}
	}
	return "", false, false
}

// under is path relative to a mount's root, if the mount shows it.
func under(path, root string) (string, bool) {
	if root == "/" {
		return path, true
	}
	if path == root {
		return "", true
	}
	rel, ok := strings.CutPrefix(path, root+"/")
	return rel, ok
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
