package usecase

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Metrics are catalog's business counters, beside the chassis' RED metrics:
// they say what happened to stock, not just how requests went.
type Metrics struct {
	reservations *prometheus.CounterVec
	units        prometheus.Counter
	finished     *prometheus.CounterVec
}

// NewMetrics registers the counters on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		reservations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalog_stock_reservations_total",
			Help: "ReserveStock calls by outcome: reserved (new or replayed), insufficient_stock, unknown_product, invalid, error.",
		}, []string{"outcome"}),
		units: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "catalog_stock_units_reserved_total",
			Help: "Units taken from stock by successful reservations (replays count again).",
		}),
		finished: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalog_reservations_finished_total",
			Help: "Reservations that reached a status: confirmed, released or expired.",
		}, []string{"status"}),
	}
	reg.MustRegister(m.reservations, m.units, m.finished)
	return m
}

// reserved records the outcome of one ReserveStock call.
func (m *Metrics) reserved(items []domain.StockItem, err error) {
	outcome := "reserved"
	switch {
	case err == nil:
		for _, it := range items {
			m.units.Add(float64(it.Quantity))
		}
	case apperr.Is(err, apperr.KindFailedPrecondition):
		outcome = "insufficient_stock"
	case apperr.Is(err, apperr.KindNotFound):
		outcome = "unknown_product"
	case apperr.Is(err, apperr.KindInvalidArgument):
		outcome = "invalid"
	default:
		outcome = "error"
	}
	m.reservations.WithLabelValues(outcome).Inc()
}

// ended counts n reservations reaching status.
func (m *Metrics) ended(status domain.ReservationStatus, n int) {
	m.finished.WithLabelValues(string(status)).Add(float64(n))
}
