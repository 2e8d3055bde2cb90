package memlimit_test

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/memlimit"
)

func cgroupFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "memory.max")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// restoreLimit puts back the process's soft limit after a test changed it.
func restoreLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
}

func noEnv(string) string { return "" }

func TestApplySetsNinetyPercentOfTheCgroupLimit(t *testing.T) {
	restoreLimit(t)
	soft, err := memlimit.Apply(cgroupFile(t, "134217728\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := int64(120795955) // 90% of 128 MiB, rounded down
	if soft != want || debug.SetMemoryLimit(-1) != want {
		t.Fatalf("returned %d, runtime limit %d, want %d", soft, debug.SetMemoryLimit(-1), want)
	}
}

func TestApplyLeavesTheRuntimeAloneWithoutALimit(t *testing.T) {
	restoreLimit(t)
	debug.SetMemoryLimit(math.MaxInt64)
	for name, path := range map[string]string{
		"unlimited": cgroupFile(t, "max\n"),
		"no cgroup": filepath.Join(t.TempDir(), "missing"),
	} {
		soft, err := memlimit.Apply(path, noEnv)
		if err != nil || soft != 0 || debug.SetMemoryLimit(-1) != math.MaxInt64 {
			t.Errorf("%s: returned %d, %v; runtime limit %d", name, soft, err, debug.SetMemoryLimit(-1))
		}
	}
}

func TestApplyKeepsAnExplicitGOMEMLIMIT(t *testing.T) {
	restoreLimit(t)
	debug.SetMemoryLimit(math.MaxInt64)
	env := func(k string) string {
		if k == "GOMEMLIMIT" {
			return "50MiB"
		}
		return ""
	}
	soft, err := memlimit.Apply(cgroupFile(t, "134217728"), env)
	if err != nil || soft != 0 || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Fatalf("returned %d, %v; runtime limit %d", soft, err, debug.SetMemoryLimit(-1))
	}
}

func TestApplyRefusesAGarbledFile(t *testing.T) {
	restoreLimit(t)
	if _, err := memlimit.Apply(cgroupFile(t, "lots"), noEnv); err == nil {
		t.Fatal("a memory.max that is not a number was accepted")
	}
}

func TestDescribeSaysTheLimitInMiB(t *testing.T) {
	restoreLimit(t)
	debug.SetMemoryLimit(math.MaxInt64)
	if got := memlimit.Describe(); got != "none" {
		t.Errorf("without a limit: %q", got)
	}
	debug.SetMemoryLimit(120795955)
	if got := memlimit.Describe(); got != "115.2 MiB" {
		t.Errorf("90%% of 128 MiB: %q", got)
	}
}
