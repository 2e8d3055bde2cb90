package manifestcheck

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSourceDigestFollowsEdits: a main of our own is rebuilt after an edit,
// because its source digest is part of the tool's cache key.
func TestSourceDigestFollowsEdits(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main.go")
	if err := os.WriteFile(main, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := sourceDigest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(main, []byte("package main\n\nfunc main() { println() }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	after, err := sourceDigest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if before == after {
		t.Fatalf("digest %s did not change with the source", before)
	}
	if _, err := sourceDigest(t.TempDir()); err == nil {
		t.Fatal("a folder without Go source has a digest")
	}
}

// TestLocalToolKey: a local main is keyed by its source, a module's command
// by its version only.
func TestLocalToolKey(t *testing.T) {
	if !(Tool{Package: "./misconfig"}).local() {
		t.Error("./misconfig is not a local main")
	}
	if (Tool{Package: "github.com/example/cmd/x"}).local() {
		t.Error("a module's command is taken for a local main")
	}
}
