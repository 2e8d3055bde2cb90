package slo

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/alertcheck"
	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// Burn is one alerting condition of the Google SRE workbook's
// multi-window, multi-burn-rate alerts: it fires when the long window has
// consumed Budget of the period's error budget and the short window
// (a twelfth of the long one) shows it is still going on.
type Burn struct {
	Long, Short time.Duration
	Budget      float64 // share of the period's budget spent over Long
	Severity    string  // critical pages, warning opens a ticket
}

// Burns are the conditions: paging when 2% of the budget went in an hour
// or 5% in six hours (at 30 days: 14.4x and 6x the sustainable rate), a
// ticket when 10% went in a day or in three days (3x and 1x).
var Burns = []Burn{
	{time.Hour, 5 * time.Minute, 0.02, "critical"},
	{6 * time.Hour, 30 * time.Minute, 0.05, "critical"},
	{24 * time.Hour, 2 * time.Hour, 0.10, "warning"},
	{72 * time.Hour, 6 * time.Hour, 0.10, "warning"},
}

// Alert names, one per severity, so that Alertmanager's inhibition of a
// warning by a critical alert of the same name stays per SLO.
const (
	FastBurnAlert = "ShipshapeErrorBudgetFastBurn"
	SlowBurnAlert = "ShipshapeErrorBudgetSlowBurn"
	// RatioMetric is the recorded share of requests that failed an SLO.
	RatioMetric = "shipshape:slo_errors:ratio_rate"
	// PeriodMetric is that share over the whole period (budget views).
	PeriodMetric = "shipshape:slo_errors:ratio_period"
	// ObjectiveMetric is the allowed share, 1 - target.
	ObjectiveMetric = "shipshape:slo_objective:error_ratio"
	runbook         = "https://github.com/shipshape-dev/shipshape/blob/main/docs/runbooks/error-budget-burn.md"
)

// ProbeMetric is blackbox_exporter's result of one synthetic probe (1
// success, 0 failure), labelled with the journey of its target.
const ProbeMetric = "probe_success"

// Objective is one SLO: a journey's availability, latency, or the success
// of its synthetic probes.
type Objective struct {
	Journey, SLI string  // SLI: availability | latency | probes
	Target       float64 // percent
	// good and total are the selectors' metric names and extra matchers.
	goodMetric, totalMetric, goodMatcher string
	// sels are fixed selectors (the storefront's pages); nil: the
	// journey's gateway routes.
	sels []string
}

// pageSelector selects the storefront's page requests: its static assets
// are files from disk, and unmatched paths are anyone's guesses.
const pageSelector = `service="web",route!~"/_next/static|unmatched"`

// Name is the slo label: "checkout-availability".
func (o Objective) Name() string { return o.Journey + "-" + o.SLI }

// Objectives lists the spec's SLOs in a stable order.
func (s Spec) Objectives() []Objective {
	var out []Objective
	for _, j := range s.Journeys {
		out = append(out, requestObjectives(j.Name, j.Availability, j.Latency, nil)...)
		if j.Probes > 0 {
			out = append(out, Objective{Journey: j.Name, SLI: "probes", Target: j.Probes})
		}
	}
	if p := s.Pages; p != nil {
		out = append(out, requestObjectives(StorefrontJourney, p.Availability, p.Latency, []string{pageSelector})...)
	}
	return out
}

// requestObjectives are the availability and latency SLOs over request
// metrics (the gateway's by journey, or fixed selectors).
func requestObjectives(journey string, availability float64, latency Latency, sels []string) []Objective {
	le, _ := latency.Bucket()
	return []Objective{
		{Journey: journey, SLI: "availability", Target: availability, sels: sels,
			goodMetric: "http_requests_total", totalMetric: "http_requests_total", goodMatcher: `code!~"5.."`},
		{Journey: journey, SLI: "latency", Target: latency.Target, sels: sels,
			goodMetric: "http_request_duration_seconds_bucket", totalMetric: "http_request_duration_seconds_count", goodMatcher: `le="` + le + `"`},
	}
}

// windows are every window a burn or a view needs, shortest first.
func windows() []time.Duration {
	var ws []time.Duration
	for _, b := range Burns {
		ws = append(ws, b.Long, b.Short)
	}
	slices.Sort(ws)
	return slices.Compact(ws)
}

// promDuration writes a window as Prometheus does: 5m, 1h, 1d, 3d.
func promDuration(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	default:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
}

// selectors are the PromQL selectors of a journey's routes on the
// gateway, one per HTTP method (the same pattern can belong to two
// journeys by method: GET and POST /api/v1/orders).
func selectors(api routes.API, journey string) []string {
	byMethod := map[string][]string{}
	for _, r := range api.Routes {
		if r.Journey == journey {
			byMethod[r.Method] = append(byMethod[r.Method], regexp.QuoteMeta(r.Pattern()))
		}
	}
	var out []string
	for _, m := range slices.Sorted(maps.Keys(byMethod)) {
		pats := byMethod[m]
		slices.Sort(pats)
		out = append(out, fmt.Sprintf(`service="gateway",method=%q,route=~"%s"`, m, strings.Join(pats, "|")))
	}
	return out
}

// rate sums metric's rate over every selector, by namespace.
func rate(metric, extra string, sels []string, window string) string {
	var parts []string
	for _, s := range sels {
		if extra != "" {
			s += "," + extra
		}
		parts = append(parts, fmt.Sprintf("rate(%s{%s}[%s])", metric, s, window))
	}
	return "sum by (namespace) (" + strings.Join(parts, " or ") + ")"
}

// ratioExpr is the share of requests that failed o over a window,
// 1 - good/total, so that a window with traffic and no failure records 0
// rather than nothing.
func ratioExpr(o Objective, sels []string, window string) string {
	if o.SLI == "probes" {
		// each probe result is a sample: failed ones over all of them
		sel := fmt.Sprintf("%s{journey=%q}[%s]", ProbeMetric, o.Journey, window)
		return "1 - (\n  sum by (namespace) (sum_over_time(" + sel + "))\n/\n  sum by (namespace) (count_over_time(" + sel + "))\n)"
	}
	return "1 - (\n  " + rate(o.goodMetric, o.goodMatcher, sels, window) + "\n/\n  " +
		rate(o.totalMetric, "", sels, window) + "\n)"
}

// PrometheusRule is the generated manifest.
type PrometheusRule struct {
	APIVersion string       `yaml:"apiVersion"`
	Kind       string       `yaml:"kind"`
	Metadata   RuleMetadata `yaml:"metadata"`
	Spec       struct {
		Groups []Group `yaml:"groups"`
	} `yaml:"spec"`
}

// RuleMetadata names the manifest.
type RuleMetadata struct {
	Name      string            `yaml:"name"`
	Namespace string            `yaml:"namespace"`
	Labels    map[string]string `yaml:"labels"`
}

// Group and Rule are the rule file's parts, as test/alerts reads them.
type (
	Group = alertcheck.RuleGroup
	Rule  = alertcheck.Rule
)

// Rules builds the PrometheusRule for spec over the routes.
func Rules(spec Spec, api routes.API) (PrometheusRule, error) {
	if err := spec.Validate(api); err != nil {
		return PrometheusRule{}, err
	}
	period, _ := spec.PeriodDuration()
	var pr PrometheusRule
	pr.APIVersion = "monitoring.coreos.com/v1"
	pr.Kind = "PrometheusRule"
	pr.Metadata = RuleMetadata{Name: "slos", Namespace: "shipshape", Labels: map[string]string{
		"app.kubernetes.io/name": "slos", "app.kubernetes.io/part-of": "shipshape"}}
	var fast, slow []Rule
	for _, o := range spec.Objectives() {
		labels := func() map[string]string {
			return map[string]string{"slo": o.Name(), "journey": o.Journey, "sli": o.SLI}
		}
		sels := o.sels
		if sels == nil {
			sels = selectors(api, o.Journey)
		}
		g := Group{Name: "slo-" + o.Name()}
		for _, w := range windows() {
			g.Rules = append(g.Rules, Rule{Record: RatioMetric + promDuration(w), Expr: ratioExpr(o, sels, promDuration(w)), Labels: labels()})
		}
		allowed := 1 - o.Target/100
		g.Rules = append(g.Rules,
			Rule{Record: ObjectiveMetric, Expr: strconv.FormatFloat(allowed, 'g', 6, 64), Labels: labels()},
			Rule{Record: PeriodMetric, Labels: labels(), Expr: fmt.Sprintf(`avg_over_time(%s%s{slo=%q}[%s])`,
				RatioMetric, promDuration(windows()[0]), o.Name(), promDuration(period))})
		pr.Spec.Groups = append(pr.Spec.Groups, g)
		for sev, rules := range map[string]*[]Rule{"critical": &fast, "warning": &slow} {
			*rules = append(*rules, burnAlert(o, sev, allowed, period, labels()))
		}
	}
	pr.Spec.Groups = append(pr.Spec.Groups, Group{Name: "slo-burn-rates", Rules: append(fast, slow...)})
	return pr, nil
}

// burnAlert is o's alert for the burns of one severity.
func burnAlert(o Objective, severity string, allowed float64, period time.Duration, labels map[string]string) Rule {
	var conds []string
	var pace []string
	for _, b := range Burns {
		if b.Severity != severity {
			continue
		}
		factor := b.Budget * float64(period) / float64(b.Long)
		threshold := strconv.FormatFloat(factor*allowed, 'g', 6, 64)
		metric := func(w time.Duration) string {
			return fmt.Sprintf(`%s%s{slo=%q} > %s`, RatioMetric, promDuration(w), o.Name(), threshold)
		}
		conds = append(conds, "(\n  "+metric(b.Long)+"\nand\n  "+metric(b.Short)+"\n)")
		pace = append(pace, fmt.Sprintf("%g%% of the budget in %s", b.Budget*100, promDuration(b.Long)))
	}
	name, speed := FastBurnAlert, "fast"
	if severity == "warning" {
		name, speed = SlowBurnAlert, "slowly but steadily"
	}
	labels["severity"] = severity
	counted := "requests"
	if o.SLI == "probes" {
		counted = "synthetic probes"
	}
	return Rule{
		Alert:  name,
		Expr:   strings.Join(conds, "\nor\n"),
		For:    "2m",
		Labels: labels,
		Annotations: map[string]string{
			"summary": fmt.Sprintf("The %s SLO (%g%%) burns its %s error budget %s: {{ $value | humanizePercentage }} of %s fail it",
				o.Name(), o.Target, promDuration(period), speed, counted),
			"description": "Fires at " + strings.Join(pace, " or ") + ", confirmed by the window a twelfth as long.",
			"runbook_url": runbook,
		},
	}
}

// Header opens the generated file.
const Header = `# Generated by cmd/slo-rules from slos.yaml and gateway/routes.yaml: do
# not edit; change slos.yaml and run make generate. Recording rules per SLO
# (the share of requests failing it over each window) and the
# multi-window, multi-burn-rate alerts (docs/adr/0020-service-level-objectives.md).
# Tests: tests/slo-rules.test.yaml (test/alerts, make test).
`

// Render writes the manifest as committed.
func Render(pr PrometheusRule) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(Header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(pr); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}
