package compliance

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

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
			Name: "shipshape_compliance_violations",
			Help: "Rules an existing object breaks, by object and policy (network-policy: the namespace's own rule); accepted=true when an exception annotation accepts them.",
		}, []string{"namespace", "kind", "name", "policy", "accepted"}),
		checked: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shipshape_compliance_checked_objects",
			Help: "Workloads the last successful pass checked.",
		}),
		unchecked: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shipshape_compliance_unchecked_objects",
			Help: "Workloads the last successful pass could not check (their dry run failed for a reason no policy gives).",
		}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shipshape_compliance_last_success_timestamp_seconds",
			Help: "When the last pass completed (0: none yet).",
		}),
		passes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shipshape_compliance_passes_total",
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

// MetricNames are the series the reporter exports, for the checks of the
// rules that use them.
func MetricNames() []string {
	return []string{
		"shipshape_compliance_violations",
		"shipshape_compliance_checked_objects",
		"shipshape_compliance_unchecked_objects",
		"shipshape_compliance_last_success_timestamp_seconds",
		"shipshape_compliance_passes_total",
	}
}
