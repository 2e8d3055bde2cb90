package dbha_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/pglocal"
)

// tools are the absolute paths of the programs the tests run. Patroni is
// Debian's: its #! line picks /usr/bin/python3, which has psycopg2 and
// python3-etcd, unlike a python3 that may come first on PATH.
type tools struct {
	patroni, patronictl, pgbackrest, etcd string
	pgBin                                 string // initdb, postgres, pg_rewind, pg_basebackup
}

var findTools = sync.OnceValues(func() (tools, []string) {
	var missing []string
	need := func(path string) string {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm()&0o111 == 0 {
			missing = append(missing, path)
		}
		return path
	}
	tl := tools{
		patroni:    need("/usr/bin/patroni"),
		patronictl: need("/usr/bin/patronictl"),
		pgbackrest: need("/usr/bin/pgbackrest"),
		etcd:       need("/usr/bin/etcd"),
	}
	if dir, err := pglocal.FindBinDir(); err != nil {
		missing = append(missing, err.Error())
	} else {
		tl.pgBin = dir
		need(filepath.Join(dir, "pg_rewind"))
		need(filepath.Join(dir, "pg_basebackup"))
	}
	return tl, missing
})

// requireTools fails (never skips: these tests are part of `make test`) when
// the packages are missing, and says how to install them.
func requireTools(t testing.TB) tools {
	t.Helper()
	tl, missing := findTools()
	if len(missing) > 0 {
		t.Fatalf("missing %v; run scripts/ensure-dbha.sh (part of `make deps`) to install "+
			"patroni, pgbackrest, etcd-server and python3-etcd", missing)
	}
	return tl
}
