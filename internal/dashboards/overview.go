package dashboards

import "github.com/grafana/grafana-foundation-sdk/go/dashboard"

// overview: rate, errors and duration of every workload side by side, and
// how close each pod runs to what it requested.
func overview() *dashboard.DashboardBuilder {
	return newDashboard("overview", "shipshape: overview",
		"Requests, failures and latency per workload (services, gateway, storefront), and saturation per pod.").
		WithPanel(graph("Requests per second", "HTTP requests completed, by workload.", "reqps",
			query{`sum by (service) (` + rate("http_requests_total", `namespace="shipshape"`) + `)`, "{{service}}"})).
		WithPanel(graph("Share of requests failing (5xx)", "Server errors over all requests, by workload.", "percentunit",
			query{failingShare(`namespace="shipshape"`, "service"), "{{service}}"})).
		WithPanel(latencyGraph("Latency, 95th percentile", "HTTP request duration by workload; points link to traces.",
			query{quantile(0.95, "http_request_duration_seconds", `namespace="shipshape"`, "service"), "{{service}}"})).
		WithPanel(graph("gRPC calls per second", "Calls the services handled from each other, by service.", "reqps",
			query{`sum by (service) (` + rate("grpc_server_handled_total", `namespace="shipshape"`) + `)`, "{{service}}"})).
		WithPanel(graph("CPU used / requested", "Each pod's CPU use over its containers' requests: above 1, it runs on capacity nobody reserved.", "percentunit",
			query{`sum by (pod) (` + rate("container_cpu_usage_seconds_total", containers) + `) / sum by (pod) (kube_pod_container_resource_requests{namespace="shipshape",resource="cpu"})`, "{{pod}}"})).
		WithPanel(graph("Memory used / limit", "Each pod's working set over its containers' memory limits: at 1 the kernel kills it.", "percentunit",
			query{`sum by (pod) (container_memory_working_set_bytes{` + containers + `}) / sum by (pod) (kube_pod_container_resource_limits{namespace="shipshape",resource="memory"})`, "{{pod}}"}))
}
