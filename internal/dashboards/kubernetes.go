package dashboards

import "github.com/grafana/grafana-foundation-sdk/go/dashboard"

// kubernetes: each container's use against its requests and limits (what
// right-sizing reads), and restarts.
func kubernetes() *dashboard.DashboardBuilder {
	const ns = `namespace="shipshape"`
	return newDashboard("kubernetes", "shipshape: Kubernetes resources", "Containers' CPU and memory against their requests and limits, and restarts.").
		WithPanel(graph("CPU: used, requested, limit", "Per container, in cores.", "short",
			query{`sum by (pod, container) (` + rate("container_cpu_usage_seconds_total", containers) + `)`, "{{pod}}/{{container}} used"},
			query{`sum by (pod, container) (kube_pod_container_resource_requests{` + ns + `,resource="cpu"})`, "{{pod}}/{{container}} requested"},
			query{`sum by (pod, container) (kube_pod_container_resource_limits{` + ns + `,resource="cpu"})`, "{{pod}}/{{container}} limit"})).
		WithPanel(graph("Memory: working set, requested, limit", "Per container.", "bytes",
			query{`sum by (pod, container) (container_memory_working_set_bytes{` + containers + `})`, "{{pod}}/{{container}} used"},
			query{`sum by (pod, container) (kube_pod_container_resource_requests{` + ns + `,resource="memory"})`, "{{pod}}/{{container}} requested"},
			query{`sum by (pod, container) (kube_pod_container_resource_limits{` + ns + `,resource="memory"})`, "{{pod}}/{{container}} limit"})).
		WithPanel(graph("Restarts per hour", "Per container; a crash loop shows here before its alert.", "short",
			query{`sum by (pod, container) (increase(kube_pod_container_status_restarts_total{` + ns + `}[1h]))`, "{{pod}}/{{container}}"}))
}
