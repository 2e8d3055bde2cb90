package pglocal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckTraversableNamesBlockingDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only meaningful as root, where the server runs as another user")
	}
	r, err := lookupRunAs()
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: its parent is 0700, which would be reported first.
	base, err := os.MkdirTemp("", "runas-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	locked := filepath.Join(base, "locked")
	if err := os.MkdirAll(filepath.Join(locked, "inner"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	err = r.checkTraversable(filepath.Join(locked, "inner", "data"))
	if err == nil || !strings.Contains(err.Error(), locked+" is not traversable") {
		t.Fatalf("want error naming %s, got %v", locked, err)
	}
	if err := os.Chmod(locked, 0o711); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(locked, "inner"), 0o711); err != nil {
		t.Fatal(err)
	}
	if err := r.checkTraversable(filepath.Join(locked, "inner", "data")); err != nil {
		t.Fatal(err)
	}
}
