package dbagent

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// MetricNames is what alert rules are checked against, so it must list
// exactly what the registry exports once every series exists.
func TestMetricNamesMatchTheRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg, Config{FullBackupEvery: 168 * time.Hour, DiffBackupEvery: 24 * time.Hour})
	m.setRepo([]backupSet{{typ: typeFull, stop: time.Unix(100, 0)}, {typ: typeDiff, stop: time.Unix(200, 0)}})
	m.backupRun(typeFull, time.Minute, nil)
	archived, failed := 500.0, 400.0
	m.setArchive(primaryState{writable: true, lastArchived: &archived, lastArchiveFailure: &failed})
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var exported []string
	for _, f := range families {
		exported = append(exported, f.GetName())
	}
	if got, want := slices.Sorted(slices.Values(exported)), slices.Sorted(slices.Values(MetricNames())); !slices.Equal(got, want) {
		t.Fatalf("exported %v\nMetricNames %v", got, want)
	}
}

func TestRepoMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg, Config{FullBackupEvery: 168 * time.Hour, DiffBackupEvery: 3 * time.Second})
	m.setRepo([]backupSet{
		{typ: typeFull, stop: time.Unix(100, 0)},
		{typ: typeDiff, stop: time.Unix(300, 0)},
		{typ: typeDiff, stop: time.Unix(200, 0)},
		{typ: typeIncr, stop: time.Unix(400, 0)},
	})
	want := `
# HELP shipshape_backup_interval_seconds Configured longest age of the newest backup of each type, in seconds.
# TYPE shipshape_backup_interval_seconds gauge
shipshape_backup_interval_seconds{type="diff"} 3
shipshape_backup_interval_seconds{type="full"} 604800
# HELP shipshape_backup_last_success_timestamp_seconds Stop time of the newest backup of each type in the repository; absent until the repository has one.
# TYPE shipshape_backup_last_success_timestamp_seconds gauge
shipshape_backup_last_success_timestamp_seconds{type="diff"} 300
shipshape_backup_last_success_timestamp_seconds{type="full"} 100
# HELP shipshape_backup_repo_up 1 when the last pgbackrest info succeeded, else 0.
# TYPE shipshape_backup_repo_up gauge
shipshape_backup_repo_up 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), MetricBackupInterval, MetricBackupLastSuccess, MetricBackupRepoUp); err != nil {
		t.Fatal(err)
	}

	// Unreadable: down, the last known times kept.
	m.setRepoDown()
	if got := testutil.ToFloat64(m.repoUp); got != 0 {
		t.Errorf("repo_up %v after a failed info", got)
	}
	if got := testutil.ToFloat64(m.lastSuccess.WithLabelValues(typeFull)); got != 100 {
		t.Errorf("full timestamp %v after a failed info, want the last known 100", got)
	}
	// Only a full left (the diffs expired): no diff series.
	m.setRepo([]backupSet{{typ: typeFull, stop: time.Unix(500, 0)}})
	if n := testutil.CollectAndCount(m.lastSuccess); n != 1 {
		t.Errorf("%d last_success series, want only full", n)
	}
}

var errTest = errors.New("test failure")

func TestRunCountersStartAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg, Config{})
	if n := testutil.CollectAndCount(m.backupRuns); n != 4 {
		t.Errorf("%d backup run series, want full and diff by success and failure", n)
	}
	if n := testutil.CollectAndCount(m.roleSyncs); n != 2 {
		t.Errorf("%d role sync series, want success and failure", n)
	}
	m.backupRun(typeDiff, 2*time.Second, errTest)
	m.backupRun(typeDiff, 3*time.Second, nil)
	m.roleSync(errTest)
	if got := testutil.ToFloat64(m.backupRuns.WithLabelValues(typeDiff, "failure")); got != 1 {
		t.Errorf("diff failures %v", got)
	}
	if got := testutil.ToFloat64(m.duration.WithLabelValues(typeDiff)); got != 3 {
		t.Errorf("diff duration %v, want the successful run's 3s", got)
	}
	if got := testutil.ToFloat64(m.roleSyncs.WithLabelValues("failure")); got != 1 {
		t.Errorf("role sync failures %v", got)
	}
}

// The leader's archiving times appear as pg_stat_archiver has them, a time
// it has none of has no series, and a replica reports none.
func TestArchiveMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg, Config{FullBackupEvery: time.Hour, DiffBackupEvery: time.Hour})
	archived := 1700000000.5
	m.setArchive(primaryState{writable: true, lastArchived: &archived})
	if got := testutil.ToFloat64(m.archived); got != archived {
		t.Errorf("last success %v, want %v", got, archived)
	}
	if n := testutil.CollectAndCount(m.archiveFailed); n != 0 {
		t.Errorf("a never-failed archiver has %d failure series", n)
	}
	m.clearArchive()
	if n := testutil.CollectAndCount(m.archived) + testutil.CollectAndCount(m.archiveFailed); n != 0 {
		t.Errorf("a replica exports %d archiving series", n)
	}
}
