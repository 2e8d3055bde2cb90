package memlimit_test

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/memlimit"
)

// fakeHost writes a procfs view of one process (its cgroup and mountinfo
// files, with the mount points inside the test's directory, written as
// MOUNT/) and the cgroup files the mounts show; it returns the process's
// /proc/self.
func fakeHost(t *testing.T, cgroup, mountinfo string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(path, content string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	self := filepath.Join(dir, "proc", "self")
	write(filepath.Join(self, "cgroup"), cgroup)
	write(filepath.Join(self, "mountinfo"), strings.ReplaceAll(mountinfo, "MOUNT/", dir+"/"))
	for name, content := range files {
		write(filepath.Join(dir, name), content)
	}
	return self
}

// restoreLimit puts back the process's soft limit after a test changed it.
func restoreLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
}

func noEnv(string) string { return "" }

const (
	mib128 = "134217728\n"
	// 90% of 128 MiB, rounded down
	soft128 = int64(120795955)
)

// The limit is found however the container sees its cgroup: cgroup v2 in
// its own cgroup namespace, v2 with the host's whole hierarchy, v1 with
// runc's bind mount of the container's own directory beside an empty v2
// hierarchy (the test cluster's hosts).
func TestApplySetsNinetyPercentOfTheCgroupLimit(t *testing.T) {
	for name, self := range map[string]string{
		"v2, own namespace": fakeHost(t, "0::/\n",
			"30 25 0:26 / MOUNT/cgroup rw,nosuid - cgroup2 cgroup2 rw\n",
			map[string]string{"cgroup/memory.max": mib128}),
		"v2, host hierarchy": fakeHost(t, "0::/kubepods/pod1/ctr\n",
			"30 25 0:26 / MOUNT/cgroup rw,nosuid - cgroup2 cgroup2 rw\n",
			map[string]string{"cgroup/kubepods/pod1/ctr/memory.max": mib128, "cgroup/memory.max": "max\n"}),
		"v1 beside v2": fakeHost(t, "4:memory:/kubepods/pod1/ctr\n3:cpu,cpuacct:/kubepods/pod1/ctr\n0::/\n",
			"35 31 0:32 /kubepods/pod1/ctr MOUNT/cgroup/memory ro,nosuid shared:9 - cgroup cgroup rw,memory\n"+
				"36 31 0:33 /kubepods/pod1/ctr MOUNT/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct\n"+
				"41 31 0:38 / MOUNT/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
			map[string]string{"cgroup/memory/memory.limit_in_bytes": mib128}),
	} {
		restoreLimit(t)
		debug.SetMemoryLimit(math.MaxInt64)
		soft, err := memlimit.Apply(self, noEnv)
		if err != nil || soft != soft128 || debug.SetMemoryLimit(-1) != soft128 {
			t.Errorf("%s: returned %d, %v; runtime limit %d; want %d", name, soft, err, debug.SetMemoryLimit(-1), soft128)
		}
	}
}

func TestApplyLeavesTheRuntimeAloneWithoutALimit(t *testing.T) {
	restoreLimit(t)
	debug.SetMemoryLimit(math.MaxInt64)
	for name, self := range map[string]string{
		"v2 max": fakeHost(t, "0::/\n", "30 25 0:26 / MOUNT/cgroup rw - cgroup2 cgroup2 rw\n",
			map[string]string{"cgroup/memory.max": "max\n"}),
		"v1 unlimited": fakeHost(t, "4:memory:/\n", "35 31 0:32 / MOUNT/memory rw - cgroup cgroup rw,memory\n",
			map[string]string{"memory/memory.limit_in_bytes": "9223372036854771712\n"}),
		"the root cgroup, no file": fakeHost(t, "0::/\n", "30 25 0:26 / MOUNT/cgroup rw - cgroup2 cgroup2 rw\n", nil),
		"no cgroup mounted":        fakeHost(t, "0::/\n", "22 1 8:1 / / rw - ext4 /dev/vda1 rw\n", nil),
		"no procfs":                filepath.Join(t.TempDir(), "missing"),
	} {
		soft, err := memlimit.Apply(self, noEnv)
		if err != nil || soft != 0 || debug.SetMemoryLimit(-1) != math.MaxInt64 {
			t.Errorf("%s: returned %d, %v; runtime limit %d", name, soft, err, debug.SetMemoryLimit(-1))
		}
	}
}

func TestApplyKeepsAnExplicitGOMEMLIMIT(t *testing.T) {
	restoreLimit(t)
	debug.SetMemoryLimit(math.MaxInt64)
	self := fakeHost(t, "0::/\n", "30 25 0:26 / MOUNT/cgroup rw - cgroup2 cgroup2 rw\n", map[string]string{"cgroup/memory.max": mib128})
	env := func(k string) string {
		if k == "GOMEMLIMIT" {
			return "50MiB"
		}
		return ""
	}
	soft, err := memlimit.Apply(self, env)
	if err != nil || soft != 0 || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Fatalf("returned %d, %v; runtime limit %d", soft, err, debug.SetMemoryLimit(-1))
	}
}

func TestApplyRefusesAGarbledFile(t *testing.T) {
	restoreLimit(t)
	self := fakeHost(t, "0::/\n", "30 25 0:26 / MOUNT/cgroup rw - cgroup2 cgroup2 rw\n", map[string]string{"cgroup/memory.max": "lots\n"})
	if _, err := memlimit.Apply(self, noEnv); err == nil || !strings.Contains(err.Error(), "not a memory limit") {
		t.Fatalf("a memory.max that is not a number: %v", err)
	}
}

func TestDescribeSaysTheLimitInMiB(t *testing.T) {
	restoreLimit(t)
	debug.SetMemoryLimit(math.MaxInt64)
	if got := memlimit.Describe(); got != "none" {
		t.Errorf("without a limit: %q", got)
	}
	debug.SetMemoryLimit(soft128)
	if got := memlimit.Describe(); got != "115.2 MiB" {
		t.Errorf("90%% of 128 MiB: %q", got)
	}
}
