package pgtest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/shipshape-dev/shipshape/internal/freeport"
)

const (
	dirPrefix = "pgtest-"
	ownerFile = "owner.pid"
)

// freePort is a loopback port for postgres (internal/freeport). Another
// test binary can still take it first, so callers retry.
func freePort() (int, error) { return freeport.One() }

// writeOwner records our pid so that a later run can tell the directory
// was abandoned by a crashed test binary.
func writeOwner(dir string) error {
	return os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644)
}

// reapStale removes directories left by test binaries that died without
// cleaning up (a panicking test or a timeout exits the process at once).
// Directories without an owner file may be in creation and are kept.
func reapStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			_ = os.RemoveAll(dir)
		}
	}
}
