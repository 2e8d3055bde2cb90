// Package consistency holds repository-wide checks: facts written in more
// than one place (the Go version, a service's ports and names) agree, so a
// change to one of them fails here instead of drifting.
package consistency

import (
	"io/fs"
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

// walkFiles calls fn for each file below root, outside skippedDirs and the
// directories also named in skip.
func walkFiles(t *testing.T, root string, fn func(path string, d fs.DirEntry) error, skip ...string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return fn(path, d)
		}
		for _, name := range skip {
			if d.Name() == name {
				return filepath.SkipDir
			}
		}
		if skippedDirs[d.Name()] {
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
