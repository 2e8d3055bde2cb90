package compliance

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/adminserver"
	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
	platformmetrics "github.com/shipshape-dev/shipshape/internal/platform/metrics"
	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
)

// Run reports every cfg.Interval until ctx ends, serving the report's
// metrics on the admin address.
func Run(ctx context.Context, cfg Config, logger *slog.Logger) error {
	reg := platformmetrics.NewRegistry()
	r := &reporter{cfg: cfg, log: logger, m: newMetrics(reg), seen: map[Violation]bool{}}
	return adminserver.Run(ctx, adminserver.Options{
		Addr:     cfg.AdminAddr,
		Registry: reg,
		// Ready once the first report is out.
		Ready: r.reported.Load,
		Listening: func(addr string) {
			logger.Info("compliance report started", "admin", addr, "interval", cfg.Interval.String(), "scratch_namespace", cfg.ScratchNamespace)
		},
	}, func(ctx context.Context) { periodic.Every(ctx, cfg.Interval, true, r.pass) })
}

// reporter holds what the passes share; only the loop's goroutine uses it.
type reporter struct {
	cfg  Config
	log  *slog.Logger
	m    *metrics
	seen map[Violation]bool // the last pass's, to log only changes

	reported atomic.Bool // a pass has completed (read by /readyz)
}

func (r *reporter) pass(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	// A new client per pass reads the rotated token.
	var rep Report
	var unchecked int
	c, err := kubeapi.New(r.cfg.API)
	if err == nil {
		rep, unchecked, err = pass(ctx, c, r.cfg.ScratchNamespace, r.log)
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
			return // stopping
		}
		// The previous report stands: a failed pass proves nothing fixed.
		r.m.passes.WithLabelValues("failed").Inc()
		r.log.Error("compliance pass failed", "error", err)
		return
	}
	r.m.record(rep, unchecked, time.Now())
	r.logChanges(rep)
	r.reported.Store(true)
	r.log.Debug("compliance pass", "checked", rep.Checked, "unchecked", unchecked, "violations", len(rep.Violations))
}

// logChanges logs each violation when it appears and when it is gone, so
// the log store holds its history without a line per pass.
func (r *reporter) logChanges(rep Report) {
	now := make(map[Violation]bool, len(rep.Violations))
	for _, v := range rep.Violations {
		now[v] = true
		if !r.seen[v] {
			level := slog.LevelWarn
			if v.Accepted != "" {
				level = slog.LevelInfo
			}
			r.log.Log(context.Background(), level, "compliance violation", attrs(v)...)
		}
	}
	for v := range r.seen {
		if !now[v] {
			r.log.Info("compliance violation resolved", attrs(v)...)
		}
	}
	r.seen = now
}

func attrs(v Violation) []any {
	a := []any{"namespace", v.Namespace, "kind", v.Kind, "name", v.Name, "policy", v.Policy, "message", v.Message}
	if v.Accepted != "" {
		a = append(a, "accepted", v.Accepted)
	}
	return a
}
