package dashboards

import "github.com/grafana/grafana-foundation-sdk/go/dashboard"

// checkoutRoute selects the public checkout route (POST /api/v1/orders)
// at the gateway, where shoppers' orders arrive.
const checkoutRoute = `namespace="shipshape",service="gateway",method="POST",route="/api/v1/orders"`

// checkout: orders placed and refused, how long checkout takes, and what
// orders' recovery found.
func checkout() *dashboard.DashboardBuilder {
	return newDashboard("checkout", "shipshape: checkout", "Orders placed through the public API, and the paid orders recovery looks after.").
		WithPanel(graph("Checkouts per second by status", "POST /api/v1/orders at the gateway: 201 placed, 4xx refused (cart, stock, payment), 5xx failed.", "reqps",
			query{`sum by (code) (` + rate("http_requests_total", checkoutRoute) + `)`, "{{code}}"})).
		WithPanel(latencyGraph("Checkout latency", "Median and 99th percentile at the gateway; points link to traces.",
			query{quantile(0.5, "http_request_duration_seconds", checkoutRoute, "service"), "p50"},
			query{quantile(0.99, "http_request_duration_seconds", checkoutRoute, "service"), "p99"})).
		WithPanel(graph("Paid orders awaiting confirmation", "Reservations recovery could not confirm yet (retried every pass).", "short",
			query{`sum(shipshape_orders_awaiting_confirmation{namespace="shipshape"})`, "awaiting"})).
		WithPanel(graph("Paid orders found without their reservation, per hour", "Their stock may be sold twice (runbook: reservation-lost).", "short",
			query{`sum(increase(shipshape_orders_reservations_lost_total{namespace="shipshape"}[1h]))`, "lost"}))
}
