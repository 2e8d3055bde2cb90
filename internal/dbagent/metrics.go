package dbagent

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The agent's metric names. Alert rules may reference only these; a test
// beside the rules checks them against MetricNames.
const (
	MetricLeader              = "shipshape_dbagent_leader"
	MetricBackupLastSuccess   = "shipshape_backup_last_success_timestamp_seconds"
	MetricBackupInterval      = "shipshape_backup_interval_seconds"
	MetricBackupRepoUp        = "shipshape_backup_repo_up"
	MetricBackupRuns          = "shipshape_backup_runs_total"
	MetricBackupDuration      = "shipshape_backup_duration_seconds"
	MetricRoleSyncRuns        = "shipshape_role_sync_runs_total"
	MetricArchiveSuccess      = "shipshape_wal_archive_last_success_timestamp_seconds"
	MetricArchiveFailure      = "shipshape_wal_archive_last_failure_timestamp_seconds"
	MetricLeaderLabelsRemoved = "shipshape_dbagent_leader_labels_removed_total"
)

// MetricNames lists every metric the agent exports.
func MetricNames() []string {
	return []string{
		MetricLeader, MetricBackupLastSuccess, MetricBackupInterval, MetricBackupRepoUp,
		MetricBackupRuns, MetricBackupDuration, MetricRoleSyncRuns, MetricArchiveSuccess, MetricArchiveFailure,
		MetricLeaderLabelsRemoved,
	}
}

// metrics are the agent's series in its own registry.
type metrics struct {
	leader      prometheus.Gauge
	lastSuccess *prometheus.GaugeVec // type
	interval    *prometheus.GaugeVec // type
	repoUp      prometheus.Gauge
	backupRuns  *prometheus.CounterVec // type, result
	duration    *prometheus.GaugeVec   // type
	roleSyncs   *prometheus.CounterVec // result
	// WAL archiving as the leader's pg_stat_archiver reports it; no series
	// on a replica or before the first attempt.
	archived, archiveFailed *prometheus.GaugeVec // no labels: Vec only to be removable
	leaderLabelsRemoved     prometheus.Counter
}

func newMetrics(reg prometheus.Registerer, cfg Config) *metrics {
	m := &metrics{
		leader: prometheus.NewGauge(prometheus.GaugeOpts{Name: MetricLeader,
			Help: "1 while the local Patroni member is the primary, else 0."}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: MetricBackupLastSuccess,
			Help: "Stop time of the newest backup of each type in the repository; absent until the repository has one."}, []string{"type"}),
		interval: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: MetricBackupInterval,
			Help: "Configured longest age of the newest backup of each type, in seconds."}, []string{"type"}),
		repoUp: prometheus.NewGauge(prometheus.GaugeOpts{Name: MetricBackupRepoUp,
			Help: "1 when the last pgbackrest info succeeded, else 0."}),
		backupRuns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricBackupRuns,
			Help: "Backups this agent ran to the end, by type and result; one it cancelled itself (shutdown, leadership lost) is not counted."}, []string{"type", "result"}),
		duration: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: MetricBackupDuration,
			Help: "Duration of this agent's last successful backup of each type, in seconds."}, []string{"type"}),
		roleSyncs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricRoleSyncRuns,
			Help: "Role and database syncs this agent ran, by result."}, []string{"result"}),
		archived: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: MetricArchiveSuccess,
			Help: "When the leader last archived a WAL segment (pg_stat_archiver.last_archived_time)."}, nil),
		archiveFailed: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: MetricArchiveFailure,
			Help: "When archiving last failed on the leader (pg_stat_archiver.last_failed_time)."}, nil),
		leaderLabelsRemoved: prometheus.NewCounter(prometheus.CounterOpts{Name: MetricLeaderLabelsRemoved,
			Help: "Leader labels this member, holding the lock, took off another member's pod: a former leader lost, hung, or not yet relabelled after a switchover."}),
	}
	reg.MustRegister(m.leader, m.lastSuccess, m.interval, m.repoUp, m.backupRuns, m.duration, m.roleSyncs,
		m.archived, m.archiveFailed, m.leaderLabelsRemoved)
	m.interval.WithLabelValues(typeFull).Set(cfg.FullBackupEvery.Seconds())
	m.interval.WithLabelValues(typeDiff).Set(cfg.DiffBackupEvery.Seconds())
	// Counters start at 0 for every label set, so a replica shows that it
	// ran nothing and rate() sees the first increase.
	for _, typ := range []string{typeFull, typeDiff} {
		for _, result := range []string{"success", "failure"} {
			m.backupRuns.WithLabelValues(typ, result)
		}
	}
	m.roleSyncs.WithLabelValues("success")
	m.roleSyncs.WithLabelValues("failure")
	return m
}

func (m *metrics) setLeader(leader bool) {
	if leader {
		m.leader.Set(1)
	} else {
		m.leader.Set(0)
	}
}

// setRepo records a fresh view of the repository; a type it holds no
// backup of has no series rather than a misleading 0.
func (m *metrics) setRepo(backups []backupSet) {
	m.repoUp.Set(1)
	for _, typ := range []string{typeFull, typeDiff} {
		if stop, ok := newest(backups, typ); ok {
			m.lastSuccess.WithLabelValues(typ).Set(float64(stop.Unix()))
		} else {
			m.lastSuccess.DeleteLabelValues(typ)
		}
	}
}

// setRepoDown keeps the last known timestamps: they are still the best
// knowledge, and the alert on repo_up says the repository is unreadable.
func (m *metrics) setRepoDown() { m.repoUp.Set(0) }

func (m *metrics) backupRun(typ string, took time.Duration, err error) {
	if err != nil {
		m.backupRuns.WithLabelValues(typ, "failure").Inc()
		return
	}
	m.backupRuns.WithLabelValues(typ, "success").Inc()
	m.duration.WithLabelValues(typ).Set(took.Seconds())
}

func (m *metrics) roleSync(err error) {
	if err != nil {
		m.roleSyncs.WithLabelValues("failure").Inc()
	} else {
		m.roleSyncs.WithLabelValues("success").Inc()
	}
}

// setArchive records the leader's archiving state; a time it does not know
// has no series rather than a misleading 0.
func (m *metrics) setArchive(s primaryState) {
	for _, x := range []struct {
		g *prometheus.GaugeVec
		v *float64
	}{{m.archived, s.lastArchived}, {m.archiveFailed, s.lastArchiveFailure}} {
		if x.v == nil {
			x.g.Reset()
		} else {
			x.g.WithLabelValues().Set(*x.v)
		}
	}
}

// clearArchive: not the leader (or it cannot be asked), so nothing to say.
func (m *metrics) clearArchive() {
	m.archived.Reset()
	m.archiveFailed.Reset()
}
