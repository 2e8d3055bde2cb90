package usecase

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Metrics are identity's business counters. A jump in invalid sign-ins or
// any refresh reuse is worth an alert; the hash histogram shows whether the
// argon2id cost still fits the CPU budget.
type Metrics struct {
	signups   prometheus.Counter
	signins   *prometheus.CounterVec
	throttled *prometheus.CounterVec
	refresh   *prometheus.CounterVec
	rehashes  prometheus.Counter
	hashes    *prometheus.HistogramVec
}

// NewMetrics registers the metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		signups: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "identity_signups_total", Help: "Accounts created.",
		}),
		signins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "identity_signins_total", Help: "Sign-in attempts by outcome: ok, invalid_credentials, throttled, error.",
		}, []string{"outcome"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "identity_signins_throttled_total",
			Help: "Sign-ins refused unchecked after too many failures, by the counter that refused them: account or address.",
		}, []string{"by"}),
		refresh: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "identity_token_refreshes_total",
			Help: "Refresh attempts by outcome: ok, replayed (a repeat within the grace got the same successor), invalid, reused (a rotated token came back: session revoked), error.",
		}, []string{"outcome"}),
		rehashes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "identity_password_rehashes_total", Help: "Stored hashes upgraded to the current argon2id parameters.",
		}),
		hashes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "identity_password_hash_seconds",
			Help:    "argon2id computations (op: hash or verify) and their duration, excluding the wait for a slot.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"op"}),
	}
	reg.MustRegister(m.signups, m.signins, m.throttled, m.refresh, m.rehashes, m.hashes)
	return m
}

// ObserveHash is the password.Hasher observer.
func (m *Metrics) ObserveHash(op string, d time.Duration) {
	m.hashes.WithLabelValues(op).Observe(d.Seconds())
}

func (m *Metrics) signIn(err error) {
	outcome := "ok"
	switch {
	case apperr.Is(err, apperr.KindUnauthenticated):
		outcome = "invalid_credentials"
	case apperr.Is(err, apperr.KindResourceExhausted):
		outcome = "throttled"
	case err != nil:
		outcome = "error"
	}
	m.signins.WithLabelValues(outcome).Inc()
}

func (m *Metrics) refreshed(replayed bool, err error) {
	outcome := "ok"
	switch {
	case replayed:
		outcome = "replayed"
	case errors.Is(err, ErrRefreshReused):
		outcome = "reused"
	case apperr.Is(err, apperr.KindUnauthenticated), apperr.Is(err, apperr.KindInvalidArgument):
		outcome = "invalid"
	case err != nil:
		outcome = "error"
	}
	m.refresh.WithLabelValues(outcome).Inc()
}
