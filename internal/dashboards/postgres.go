package dashboards

import "github.com/grafana/grafana-foundation-sdk/go/dashboard"

// postgres: who leads the Patroni cluster, whether each member runs, and
// the age of the last backup and archived WAL (dbagent).
func postgres() *dashboard.DashboardBuilder {
	// Patroni's and dbagent's metric names are their own: the namespace
	// is selector enough.
	const members = `namespace="shipshape"`
	return newDashboard("postgres", "shipshape: PostgreSQL", "Patroni members, backups and WAL archiving (dbagent).").
		WithPanel(graph("Primary", "1 on the member that leads.", "short",
			query{`max by (pod) (patroni_primary{` + members + `})`, "{{pod}}"})).
		WithPanel(graph("PostgreSQL running", "Per member, as Patroni reports it.", "short",
			query{`max by (pod) (patroni_postgres_running{` + members + `})`, "{{pod}}"})).
		WithPanel(graph("Time since the last successful backup", "By backup type; the backup alerts fire past the interval.", "s",
			query{`time() - max by (type) (shipshape_backup_last_success_timestamp_seconds{` + members + `})`, "{{type}}"})).
		WithPanel(graph("Backups by result, per hour", "", "short",
			query{`sum by (type, result) (increase(shipshape_backup_runs_total{` + members + `}[1h]))`, "{{type}} {{result}}"})).
		WithPanel(graph("Leader as dbagent sees it", "1 on the member whose agent takes backups.", "short",
			query{`max by (pod) (shipshape_dbagent_leader{` + members + `})`, "{{pod}}"}))
}
