package usecase

import "github.com/prometheus/client_golang/prometheus"

// Business metrics of orders, beside the chassis' RED metrics. The alert
// rules in deploy/kubernetes/apps/components/monitoring name them, and
// test/manifests checks those names against MetricNames.
const (
	MetricReservationsLost     = "shipshape_orders_reservations_lost_total"
	MetricAwaitingConfirmation = "shipshape_orders_awaiting_confirmation"
)

// MetricNames lists every metric Metrics exports.
func MetricNames() []string {
	return []string{MetricReservationsLost, MetricAwaitingConfirmation}
}

// Metrics say what recovery found. A nil *Metrics records nothing.
type Metrics struct {
	lost     prometheus.Counter
	awaiting prometheus.Gauge
}

// NewMetrics registers the metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		lost: prometheus.NewCounter(prometheus.CounterOpts{Name: MetricReservationsLost,
			Help: "Paid orders found without their stock reservation (it expired or was released before it was confirmed): their stock may be sold twice."}),
		awaiting: prometheus.NewGauge(prometheus.GaugeOpts{Name: MetricAwaitingConfirmation,
			Help: "Paid orders whose reservation the last recovery pass could not confirm (catalog unreachable or refusing); they are retried every pass."}),
	}
	reg.MustRegister(m.lost, m.awaiting)
	return m
}

func (m *Metrics) reservationLost() {
	if m != nil {
		m.lost.Inc()
	}
}

func (m *Metrics) setAwaiting(n int) {
	if m != nil {
		m.awaiting.Set(float64(n))
	}
}
