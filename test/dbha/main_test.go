// Package dbha_test runs PostgreSQL high availability and backups as real
// processes: etcd, three Patroni members with PostgreSQL 15, and pgBackRest,
// the way the Kubernetes deployment runs them. Each test backs one runbook in
// docs/runbooks/ and repeats its steps against those processes.
//
// The programs come from Debian packages that scripts/ensure-dbha.sh
// installs (`make deps`). When we are root, every PostgreSQL-side process
// runs as the postgres OS user, because initdb, postgres, Patroni and
// pgBackRest all refuse root.
package dbha_test

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// A run killed by the go test timeout skips every t.Cleanup; Patroni
	// dies with it (Pdeathsig) but its postmasters live on in their own
	// sessions. Remove what such a run left behind before starting more.
	sweepAbandonedWorkDirs()
	os.Exit(m.Run())
}
