package listeners

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// adminHandler serves the probes and metrics on their own port, so they are
// never exposed through the Ingress or the gateway.
func adminHandler(reg *prometheus.Registry, ready *readiness) http.Handler {
	mux := http.NewServeMux()
	// Liveness only says the process can answer: restarting a pod because
	// its database is down would not help.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	mux.HandleFunc("GET /readyz", ready.serveHTTP)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return mux
}
