package metrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// RegisterPool exposes a pgx pool's statistics, read from stat at scrape
// time (pass pool.Stat), so there is no polling goroutine and values are
// never stale.
func RegisterPool(reg prometheus.Registerer, stat func() *pgxpool.Stat) error {
	return reg.Register(&poolCollector{stat: stat})
}

var (
	poolAcquired = prometheus.NewDesc("pgxpool_acquired_conns",
		"Connections currently checked out of the pool.", nil, nil)
	poolIdle = prometheus.NewDesc("pgxpool_idle_conns",
		"Idle connections in the pool.", nil, nil)
	poolTotal = prometheus.NewDesc("pgxpool_total_conns",
		"Connections in the pool (acquired, idle and being constructed).", nil, nil)
	poolMax = prometheus.NewDesc("pgxpool_max_conns",
		"Maximum size of the pool.", nil, nil)
	poolAcquireCount = prometheus.NewDesc("pgxpool_acquire_count_total",
		"Successful acquires from the pool.", nil, nil)
	poolAcquireDuration = prometheus.NewDesc("pgxpool_acquire_duration_seconds_total",
		"Total time spent in successful acquires.", nil, nil)
	poolEmptyAcquire = prometheus.NewDesc("pgxpool_empty_acquire_count_total",
		"Successful acquires that had to wait for a connection because the pool was empty.", nil, nil)
	poolCanceledAcquire = prometheus.NewDesc("pgxpool_canceled_acquire_count_total",
		"Acquires canceled by their context.", nil, nil)
)

type poolCollector struct{ stat func() *pgxpool.Stat }

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		poolAcquired, poolIdle, poolTotal, poolMax,
		poolAcquireCount, poolAcquireDuration, poolEmptyAcquire, poolCanceledAcquire,
	} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stat()
	if s == nil {
		return
	}
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquired, float64(s.AcquiredConns()))
	gauge(poolIdle, float64(s.IdleConns()))
	gauge(poolTotal, float64(s.TotalConns()))
	gauge(poolMax, float64(s.MaxConns()))
	counter(poolAcquireCount, float64(s.AcquireCount()))
	counter(poolAcquireDuration, s.AcquireDuration().Seconds())
	counter(poolEmptyAcquire, float64(s.EmptyAcquireCount()))
	counter(poolCanceledAcquire, float64(s.CanceledAcquireCount()))
}
