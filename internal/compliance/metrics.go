package compliance

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The reporter's metric names. Its alert rules may reference only these;
// test/alerts checks them against MetricNames.
const (
	MetricViolations  = "shipshape_compliance_violations"
	MetricChecked     = "shipshape_compliance_checked_objects"
	MetricUnchecked   = "shipshape_compliance_unchecked_objects"
	MetricLastSuccess = "shipshape_compliance_last_success_timestamp_seconds"
	MetricPasses      = "shipshape_compliance_passes_total"
)

// MetricNames lists every metric the reporter exports.
func MetricNames() []string {
	return []string{MetricViolations, MetricChecked, MetricUnchecked, MetricLastSuccess, MetricPasses}
}

// metrics is the last pass's report as series: a fixed object gone from
// the report is gone from the metrics (Reset), so its alert resolves.
type metrics struct {
	violations  *prometheus.GaugeVec
	checked     prometheus.Gauge
	unchecked   prometheus.Gauge
	lastSuccess prometheus.Gauge
	passes      *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		violations: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: MetricViolations,
			Help: "Rules an existing object breaks, by object and policy (network-policy: the namespace's own rule); accepted=true when an exception annotation accepts them.",
		}, []string{"namespace", "kind", "name", "policy", "accepted"}),
		checked: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: MetricChecked,
			Help: "Workloads the last successful pass checked.",
		}),
		unchecked: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: MetricUnchecked,
			Help: "Workloads the last successful pass could not check (their dry run failed for a reason no policy gives).",
		}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: MetricLastSuccess,
			Help: "When the last pass completed (0: none yet).",
		}),
		passes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricPasses,
			Help: "Passes by result (ok, failed).",
		}, []string{"result"}),
	}
	reg.MustRegister(m.violations, m.checked, m.unchecked, m.lastSuccess, m.passes)
	m.passes.WithLabelValues("ok")
	m.passes.WithLabelValues("failed")
	return m
}

// record replaces the series with a completed pass's.
func (m *metrics) record(r Report, unchecked int, at time.Time) {
	m.violations.Reset()
	for _, v := range r.Violations {
		m.violations.WithLabelValues(v.Namespace, v.Kind, v.Name, v.Policy, strconv.FormatBool(v.Accepted != "")).Inc()
	}
	m.checked.Set(float64(r.Checked))
	m.unchecked.Set(float64(unchecked))
	m.lastSuccess.Set(float64(at.Unix()))
	m.passes.WithLabelValues("ok").Inc()
}
