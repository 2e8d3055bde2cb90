// Package adminserver runs a background process (a sidecar, a reporter):
// its work loop beside an admin HTTP server with liveness and metrics, and
// an orderly stop of both.
package adminserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// shutdownTimeout bounds closing the admin server once the work stopped.
const shutdownTimeout = 5 * time.Second

// Options are the admin server's address and what it serves.
type Options struct {
	Addr     string
	Registry *prometheus.Registry
	// Listening, if set, is called with the bound address before the work
	// starts (tests listen on port 0; callers log it).
	Listening func(addr string)
	// Ready, if set, answers GET /readyz (503 until it returns true); a
	// process without it serves no /readyz.
	Ready func() bool
}

// Run listens on o.Addr, then runs work until ctx ends and shuts the
// server down. A failed admin server ends the work too: a process that
// cannot be scraped would hide what its metrics report. It returns nil
// after an orderly stop.
func Run(ctx context.Context, o Options, work func(context.Context)) error {
	lis, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	var readyz http.Handler
	if o.Ready != nil {
		readyz = readyWhen(o.Ready)
	}
	srv := &http.Server{Handler: Handler(o.Registry, readyz), ReadHeaderTimeout: 5 * time.Second}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	serveErr := make(chan error, 1)
	go func() {
		if err := srv.Serve(lis); !errors.Is(err, http.ErrServerClosed) {
			serveErr <- fmt.Errorf("admin: %w", err)
			cancel()
		}
	}()
	if o.Listening != nil {
		o.Listening(lis.Addr().String())
	}
	work(ctx)

	shutdownCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer stop()
	errs := []error{srv.Shutdown(shutdownCtx)}
	select {
	case err := <-serveErr:
		errs = append(errs, err)
	default:
	}
	return errors.Join(errs...)
}

// Handler serves liveness, readiness (when readyz is not nil) and
// metrics, on a port of their own so they are never exposed through the
// Ingress or the gateway. Liveness only says the process answers:
// restarting it would not fix what its metrics or readiness report.
func Handler(reg *prometheus.Registry, readyz http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	if readyz != nil {
		mux.Handle("GET /readyz", readyz)
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return mux
}

// readyWhen answers 200 once ready returns true, 503 before.
func readyWhen(ready func() bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"not ready"}` + "\n"))
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
}
