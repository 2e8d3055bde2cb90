package pglocal

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// debianRoot is where Debian/Ubuntu packages install server binaries
// (postgresql-NN puts them in /usr/lib/postgresql/NN/bin, off PATH).
const debianRoot = "/usr/lib/postgresql"

// errNotInstalled tells the reader exactly what to do, because this is the
// first error a new developer or a fresh CI machine sees.
var errNotInstalled = errors.New("pglocal: PostgreSQL server binaries (postgres, initdb) not found; " +
	"install them (Debian/Ubuntu as root: apt-get install -y postgresql-15, or run scripts/ensure-postgres.sh) " +
	"or set PG_BINDIR to the directory that holds postgres and initdb")

// FindBinDir locates the directory holding the postgres and initdb binaries:
// $PG_BINDIR if set, else the newest /usr/lib/postgresql/*/bin, else
// `pg_config --bindir`.
func FindBinDir() (string, error) {
	return findBinDir(os.Getenv("PG_BINDIR"), debianRoot, pgConfigBinDir)
}

func findBinDir(envDir, root string, pgConfig func() (string, error)) (string, error) {
	if envDir != "" {
		// An explicit choice that is wrong must fail, not fall back silently.
		if !hasServerBinaries(envDir) {
			return "", fmt.Errorf("pglocal: PG_BINDIR=%s does not contain postgres and initdb", envDir)
		}
		return envDir, nil
	}
	if dir := newestVersionDir(root); dir != "" {
		return dir, nil
	}
	if dir, err := pgConfig(); err == nil && hasServerBinaries(dir) {
		return dir, nil
	}
	return "", errNotInstalled
}

// newestVersionDir returns root/<version>/bin for the highest version that
// has both server binaries, or "" if none does.
func newestVersionDir(root string) string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return ""
	}
	best, bestVer := "", []int(nil)
	for _, e := range entries {
		ver, ok := parseVersion(e.Name())
		dir := filepath.Join(root, e.Name(), "bin")
		if !ok || !hasServerBinaries(dir) {
			continue
		}
		if bestVer == nil || versionLess(bestVer, ver) {
			best, bestVer = dir, ver
		}
	}
	return best
}

// parseVersion parses "15" or "9.6" into its numeric parts.
func parseVersion(s string) ([]int, bool) {
	var out []int
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func versionLess(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func hasServerBinaries(dir string) bool {
	return isExecutable(filepath.Join(dir, "postgres")) && isExecutable(filepath.Join(dir, "initdb"))
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

func pgConfigBinDir() (string, error) {
	out, err := exec.Command("pg_config", "--bindir").Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
