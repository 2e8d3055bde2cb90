// Package consistency holds repository-wide checks: facts written in more
// than one place (the Go version, a service's ports and names) agree, so a
// change to one of them fails here instead of drifting.
package consistency

import (
	"os"
	"path/filepath"
	"testing"
)

// repoRoot is the directory holding the main go.mod, two levels up.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found: %v", err)
	}
	return root
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
