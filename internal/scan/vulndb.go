package scan

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// EnsureVulnDB returns a govulncheck database directory (for -db
// file://DIR) built from the OSV files of the golang.org/x/vulndb version
// pinned in tools/go.mod, once per version into the cache. Nothing
// is fetched from the vulnerability service: the data is a module.
func EnsureVulnDB(r manifestcheck.Repo) (string, error) {
	version, err := r.ToolVersion(Indexdb)
	if err != nil {
		return "", err
	}
	db := filepath.Join(r.Cache, "vulndb@"+version)
	if _, err := os.Stat(filepath.Join(db, "index", "db.json")); err == nil {
		return db, nil
	}
	indexdb, err := r.EnsureTool(Indexdb)
	if err != nil {
		return "", err
	}
	mod, err := manifestcheck.ModuleDir(Indexdb.Module, version)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(r.Cache, "vulndb-build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "db")
	if _, err := manifestcheck.RunCommand(exec.Command(indexdb, "-vulns", filepath.Join(mod, "data", "osv"), "-out", out)); err != nil {
		return "", fmt.Errorf("indexing golang.org/x/vulndb %s: %w", version, err)
	}
	// Another process may have won the race; its database is as good.
	if err := os.Rename(out, db); err != nil {
		if _, statErr := os.Stat(filepath.Join(db, "index", "db.json")); statErr == nil {
			return db, nil
		}
		return "", err
	}
	return db, nil
}
