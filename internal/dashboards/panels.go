// Package dashboards builds shipshape's Grafana dashboards as code (the
// grafana-foundation-sdk builders): one definition per dashboard here,
// rendered to JSON by cmd/dashboards (make generate), committed, and shipped
// as ConfigMaps for Grafana's dashboard sidecar.
package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// RateInterval is Grafana's rate window variable; tests that run the
// queries against Prometheus replace it with a fixed window.
const RateInterval = "$__rate_interval"

// datasource is the dashboard's Prometheus, chosen by its variable.
var datasource = common.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("${datasource}")}

// newDashboard starts a dashboard with what every one shares: the uid
// prefix, the tag, the data source variable, a refresh and a time range.
func newDashboard(uid, title, description string) *dashboard.DashboardBuilder {
	return dashboard.NewDashboardBuilder(title).
		Uid("shipshape-"+uid).
		Description(description).
		Tags([]string{"shipshape"}).
		Refresh("30s").
		Time("now-3h", "now").
		Timezone("browser").
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		WithVariable(dashboard.NewDatasourceVariableBuilder("datasource").Label("Prometheus").Type("prometheus"))
}

// query is one PromQL expression of a panel with its legend.
type query struct {
	expr, legend string
}

// rate is rate(metric{selector}[the dashboard's rate window]).
func rate(metric, selector string) string {
	return fmt.Sprintf("rate(%s{%s}[%s])", metric, selector, RateInterval)
}

// graph is a time series panel, half the dashboard's width.
func graph(title, description, unit string, queries ...query) *timeseries.PanelBuilder {
	return timeSeries(title, description, unit, false, queries)
}

// latencyGraph is a graph of histogram quantiles whose points carry the
// histogram's exemplars: a slow point links to its trace.
func latencyGraph(title, description string, queries ...query) *timeseries.PanelBuilder {
	return timeSeries(title, description, "s", true, queries)
}

func timeSeries(title, description, unit string, exemplars bool, queries []query) *timeseries.PanelBuilder {
	p := timeseries.NewPanelBuilder().Title(title).Description(description).Unit(unit).
		Datasource(datasource).Span(12).Height(8).Min(0).
		Legend(common.NewVizLegendOptionsBuilder().ShowLegend(true).DisplayMode(common.LegendDisplayModeList).Placement(common.LegendPlacementBottom)).
		Tooltip(common.NewVizTooltipOptionsBuilder().Mode(common.TooltipDisplayModeMulti).Sort(common.SortOrderDescending))
	for i, q := range queries {
		target := prometheus.NewDataqueryBuilder().Expr(q.expr).LegendFormat(q.legend).
			Datasource(datasource).RefId(string(rune('A' + i))).Range()
		if exemplars {
			target.Exemplar(true)
		}
		p.WithTarget(target)
	}
	return p
}

// failingShare is the share of a workload's requests that failed with a
// 5xx, by the labels: 0, not nothing, while none failed.
func failingShare(selector, by string) string {
	all := fmt.Sprintf("sum by (%s) (%s)", by, rate("http_requests_total", selector))
	failed := fmt.Sprintf("sum by (%s) (%s)", by, rate("http_requests_total", selector+`,code=~"5.."`))
	return fmt.Sprintf("(%s or %s * 0) / %s", failed, all, all)
}

// containers selects the shipshape containers' CPU and memory as the
// kubelet's resource endpoint reports them (cAdvisor's series of the same
// names are left out, so nothing is counted twice).
const containers = `namespace="shipshape",container!="",metrics_path="/metrics/resource"`

// quantile is histogram_quantile(q) of a histogram's rate, by the labels.
func quantile(q float64, histogram, selector, by string) string {
	return fmt.Sprintf("histogram_quantile(%g, sum by (%s) (%s))", q, by+", le", rate(histogram+"_bucket", selector))
}
