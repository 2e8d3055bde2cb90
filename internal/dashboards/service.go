package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// workload is what a per-workload dashboard shows of one of them.
type workload struct {
	name, title string
	grpc        bool // serves gRPC to the other services
	database    bool // has a pgx pool
}

var workloads = []workload{
	{"identity", "identity (accounts, sign-in, tokens)", true, true},
	{"catalog", "catalog (products, stock)", true, true},
	{"cart", "cart", true, true},
	{"orders", "orders (checkout)", true, true},
	{"gateway", "gateway (public API)", false, false},
	{"web", "web (storefront)", false, false},
}

// service: one workload's routes, its gRPC methods and database pool, and
// its process.
func service(w workload) *dashboard.DashboardBuilder {
	sel := fmt.Sprintf(`namespace="shipshape",service=%q`, w.name)
	d := newDashboard("service-"+w.name, "shipshape: "+w.title, "Requests by route, failures, latency and the process of "+w.name+".").
		WithPanel(graph("Requests per second by route and status", "", "reqps",
			query{`sum by (route, code) (` + rate("http_requests_total", sel) + `)`, "{{route}} {{code}}"})).
		WithPanel(graph("Share failing (5xx) by route", "", "percentunit",
			query{failingShare(sel, "route"), "{{route}}"})).
		WithPanel(latencyGraph("Latency by route", "Median and 99th percentile; points link to traces.",
			query{quantile(0.5, "http_request_duration_seconds", sel, "route"), "{{route}} p50"},
			query{quantile(0.99, "http_request_duration_seconds", sel, "route"), "{{route}} p99"})).
		WithPanel(graph("Requests in flight", "", "short",
			query{`sum by (pod) (http_requests_in_flight{` + sel + `})`, "{{pod}}"}))
	if w.grpc {
		d.WithPanel(graph("gRPC calls by method and code", "", "reqps",
			query{`sum by (grpc_method, grpc_code) (` + rate("grpc_server_handled_total", sel) + `)`, "{{grpc_method}} {{grpc_code}}"})).
			WithPanel(latencyGraph("gRPC latency by method, 95th percentile", "",
				query{quantile(0.95, "grpc_server_handling_seconds", sel, "grpc_method"), "{{grpc_method}}"}))
	}
	if w.database {
		d.WithPanel(graph("Database connections", "The pgx pool: in use, idle and its maximum.", "short",
			query{`sum by (pod) (pgxpool_acquired_conns{` + sel + `})`, "{{pod}} in use"},
			query{`sum by (pod) (pgxpool_idle_conns{` + sel + `})`, "{{pod}} idle"},
			query{`max by (pod) (pgxpool_max_conns{` + sel + `})`, "{{pod}} max"}))
	}
	return d.
		WithPanel(graph("CPU", "CPU seconds per second, by pod.", "short",
			query{`sum by (pod) (` + rate("process_cpu_seconds_total", sel) + `)`, "{{pod}}"})).
		WithPanel(graph("Resident memory", "", "bytes",
			query{`sum by (pod) (process_resident_memory_bytes{` + sel + `})`, "{{pod}}"}))
}
