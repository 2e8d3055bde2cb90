package listeners

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
)

// Check is one readiness dependency, e.g. a database ping.
type Check func(ctx context.Context) error

// readiness answers /readyz and drives the gRPC health service from the same
// checks, so both say the same thing.
type readiness struct {
	checks   map[string]Check
	draining atomic.Bool
	timeout  time.Duration
}

// evaluate runs every check; nil means ready.
func (r *readiness) evaluate(ctx context.Context) map[string]string {
	failed := map[string]string{}
	if r.draining.Load() {
		failed["shutdown"] = "draining"
		return failed
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	for name, check := range r.checks {
		if err := check(ctx); err != nil {
			failed[name] = err.Error()
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return failed
}

func (r *readiness) serveHTTP(w http.ResponseWriter, req *http.Request) {
	failed := r.evaluate(req.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if failed == nil {
		_, _ = w.Write([]byte(`{"status":"ready"}` + "\n"))
		return
	}
	w.WriteHeader(http.StatusServiceUnavailable)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "not ready", "failed": failed})
}

// watch keeps the gRPC health status in step with the checks until ctx ends.
func (r *readiness) watch(ctx context.Context, hs *health.Server, services []string, every time.Duration) {
	periodic.Every(ctx, every, true, func(ctx context.Context) {
		status := healthpb.HealthCheckResponse_SERVING
		if r.evaluate(ctx) != nil {
			status = healthpb.HealthCheckResponse_NOT_SERVING
		}
		for _, s := range services {
			hs.SetServingStatus(s, status)
		}
	})
}

func joinSorted(errs []error) error {
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}
