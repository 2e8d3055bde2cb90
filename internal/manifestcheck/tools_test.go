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
	if !(Tool{Package: "./iac/misconfig"}).local() {
		t.Error("./iac/misconfig is not a local main")
	}
	if (Tool{Package: "github.com/example/cmd/x"}).local() {
		t.Error("a module's command is taken for a local main")
	}
}

// TestModuleDigestFollowsTheSumFile: a tool is rebuilt when its module
// file's dependencies move, even if its own version does not.
func TestModuleDigestFollowsTheSumFile(t *testing.T) {
	dir := t.TempDir()
	mod, sum := filepath.Join(dir, "go.mod"), filepath.Join(dir, "go.sum")
	if err := os.WriteFile(mod, []byte("module example.com/tools\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	alone, err := moduleDigest(mod)
	if err != nil {
		t.Fatalf("a module file without go.sum: %v", err)
	}
	if err := os.WriteFile(sum, []byte("example.com/dep v1.0.0 h1:x=\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v1, err := moduleDigest(mod)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sum, []byte("example.com/dep v1.1.0 h1:y=\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v2, err := moduleDigest(mod)
	if err != nil {
		t.Fatal(err)
	}
	if alone == v1 || v1 == v2 {
		t.Fatalf("digests %s, %s, %s: go.sum changes are not followed", alone, v1, v2)
	}
	if _, err := moduleDigest(filepath.Join(dir, "missing.mod")); err == nil {
		t.Fatal("a missing module file has a digest")
	}
}
