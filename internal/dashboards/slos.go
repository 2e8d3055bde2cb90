package dashboards

import "github.com/grafana/grafana-foundation-sdk/go/dashboard"

// slos: each objective's error budget and how fast it burns, from the
// recording rules cmd/slo-rules generates (docs/adr/0020).
func slos() *dashboard.DashboardBuilder {
	return newDashboard("slos", "shipshape: SLOs and error budgets", "Per journey and SLI: the budget left in the 30-day period and the burn rate.").
		WithPanel(graph("Error budget left (30 days)", "1 minus the period's failing share over the objective's allowed share; below 0 the objective is missed.", "percentunit",
			query{`1 - (shipshape:slo_errors:ratio_period / on (slo) group_left () shipshape:slo_objective:error_ratio)`, "{{slo}}"})).
		WithPanel(graph("Burn rate, last hour", "The failing share of the last hour over the allowed share: 1 spends the budget exactly in 30 days; the fast-burn alert pages at 14.4.", "short",
			query{`shipshape:slo_errors:ratio_rate1h / on (slo) group_left () shipshape:slo_objective:error_ratio`, "{{slo}}"})).
		WithPanel(graph("Failing share, 5 minutes", "", "percentunit",
			query{`shipshape:slo_errors:ratio_rate5m`, "{{slo}}"})).
		WithPanel(graph("Objectives", "The allowed failing share of each SLO.", "percentunit",
			query{`shipshape:slo_objective:error_ratio`, "{{slo}}"}))
}
