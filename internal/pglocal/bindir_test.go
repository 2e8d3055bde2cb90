package pglocal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeBinDir makes dir/bin containing the given executables.
func fakeBinDir(t *testing.T, dir string, names ...string) string {
	t.Helper()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(bin, n), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return bin
}

func noPgConfig() (string, error) { return "", errors.New("no pg_config") }

func TestFindBinDirPrefersEnv(t *testing.T) {
	env := fakeBinDir(t, t.TempDir(), "postgres", "initdb")
	got, err := findBinDir(env, "/nonexistent", noPgConfig)
	if err != nil || got != env {
		t.Fatalf("got %q, %v; want %q", got, err, env)
	}
	bad := fakeBinDir(t, t.TempDir(), "postgres")
	if _, err := findBinDir(bad, "/nonexistent", noPgConfig); err == nil || !strings.Contains(err.Error(), "PG_BINDIR") {
		t.Fatalf("want PG_BINDIR error, got %v", err)
	}
}

func TestFindBinDirNewestComplete(t *testing.T) {
	root := t.TempDir()
	fakeBinDir(t, filepath.Join(root, "9.6"), "postgres", "initdb")
	want := fakeBinDir(t, filepath.Join(root, "15"), "postgres", "initdb")
	fakeBinDir(t, filepath.Join(root, "16"), "postgres") // no initdb: client-only leftovers
	fakeBinDir(t, filepath.Join(root, "notaversion"), "postgres", "initdb")
	got, err := findBinDir("", root, noPgConfig)
	if err != nil || got != want {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

func TestFindBinDirFallsBackToPgConfig(t *testing.T) {
	dir := fakeBinDir(t, t.TempDir(), "postgres", "initdb")
	got, err := findBinDir("", t.TempDir(), func() (string, error) { return dir, nil })
	if err != nil || got != dir {
		t.Fatalf("got %q, %v; want %q", got, err, dir)
	}
}

func TestFindBinDirErrorSaysWhatToInstall(t *testing.T) {
	_, err := findBinDir("", t.TempDir(), noPgConfig)
	if err == nil || !strings.Contains(err.Error(), "apt-get install -y postgresql-15") {
		t.Fatalf("got %v", err)
	}
}
