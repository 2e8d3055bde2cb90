// Package slo turns the public API's service level objectives, written
// once as data (the monitoring component's slos.yaml), into Prometheus
// recording rules and multi-window, multi-burn-rate alerts
// (docs/adr/0020-service-level-objectives.md). Which routes make up a
// journey comes from gateway/routes.yaml; the measurements are the
// gateway's own request metrics.
package slo

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// Spec is slos.yaml.
type Spec struct {
	// Period is the error budget's window, e.g. 30d.
	Period   string            `yaml:"period"`
	Journeys []Journey         `yaml:"journeys"`
	Without  map[string]string `yaml:"without_slo"` // journey -> why it has no objectives
	// Pages are the storefront's own objectives, over its page requests
	// (the storefront's metrics; static assets and unmatched paths aside).
	Pages *Pages `yaml:"pages"`
}

// StorefrontJourney names the pages' objectives ("storefront-availability").
const StorefrontJourney = "storefront"

// Pages holds the storefront pages' objectives.
type Pages struct {
	Availability float64 `yaml:"availability"` // percent of page requests not answered with a 5xx
	Latency      Latency `yaml:"latency"`
	Why          string  `yaml:"why"`
}

// Journey holds one journey's objectives.
type Journey struct {
	Name         string  `yaml:"name"`
	Availability float64 `yaml:"availability"` // percent of requests not answered with a 5xx
	Latency      Latency `yaml:"latency"`
	// Probes is the percent of synthetic probes of the journey's public
	// routes that must succeed (0: the journey has none); the Probe
	// objects label their targets with the journey.
	Probes float64 `yaml:"probes"`
	Why    string  `yaml:"why"`
}

// Latency is the share of requests answered within a threshold.
type Latency struct {
	Threshold string  `yaml:"threshold"` // a Go duration equal to a histogram bucket bound
	Target    float64 `yaml:"target"`    // percent
}

// Buckets are the upper bounds of the gateway's request duration
// histogram (the Prometheus client's default buckets): a latency
// threshold must be one of them, or the ratio could not be computed.
var Buckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Parse reads slos.yaml strictly and validates it against the routes.
func Parse(data []byte, api routes.API) (Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("slos: %w", err)
	}
	return s, s.Validate(api)
}

// Validate reports every problem: every journey of the routes has
// objectives or a reason for having none, and each objective is sound.
func (s Spec) Validate(api routes.API) error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if _, err := s.PeriodDuration(); err != nil {
		bad("period: %v", err)
	}
	used := map[string]bool{}
	for _, r := range api.Routes {
		used[r.Journey] = true
	}
	seen := map[string]bool{}
	for _, j := range s.Journeys {
		if seen[j.Name] {
			bad("journey %s: defined twice", j.Name)
		}
		seen[j.Name] = true
		if !used[j.Name] {
			bad("journey %s: no route in gateway/routes.yaml belongs to it", j.Name)
		}
		if _, ok := s.Without[j.Name]; ok {
			bad("journey %s: has objectives and is listed under without_slo", j.Name)
		}
		if j.Availability <= 0 || j.Availability >= 100 {
			bad("journey %s: availability %v must be a percentage between 0 and 100 (exclusive)", j.Name, j.Availability)
		}
		if j.Latency.Target <= 0 || j.Latency.Target >= 100 {
			bad("journey %s: latency target %v must be a percentage between 0 and 100 (exclusive)", j.Name, j.Latency.Target)
		}
		if j.Probes < 0 || j.Probes >= 100 {
			bad("journey %s: probes %v must be a percentage between 0 and 100 (exclusive), or 0 for none", j.Name, j.Probes)
		}
		if _, err := j.Latency.Bucket(); err != nil {
			bad("journey %s: latency threshold: %v", j.Name, err)
		}
		if strings.TrimSpace(j.Why) == "" {
			bad("journey %s: say why these targets (why)", j.Name)
		}
	}
	if p := s.Pages; p != nil {
		if seen[StorefrontJourney] || used[StorefrontJourney] {
			bad("journey %s: the name belongs to the pages' objectives", StorefrontJourney)
		}
		if p.Availability <= 0 || p.Availability >= 100 {
			bad("pages: availability %v must be a percentage between 0 and 100 (exclusive)", p.Availability)
		}
		if p.Latency.Target <= 0 || p.Latency.Target >= 100 {
			bad("pages: latency target %v must be a percentage between 0 and 100 (exclusive)", p.Latency.Target)
		}
		if _, err := p.Latency.Bucket(); err != nil {
			bad("pages: latency threshold: %v", err)
		}
		if strings.TrimSpace(p.Why) == "" {
			bad("pages: say why these targets (why)")
		}
	}
	for name, why := range s.Without {
		if strings.TrimSpace(why) == "" {
			bad("without_slo %s: say why it has no objectives", name)
		}
		seen[name] = true
	}
	for name := range used {
		if !seen[name] {
			bad("journey %s (gateway/routes.yaml) has no objectives: add them, or list it under without_slo with the reason", name)
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return fmt.Errorf("slos:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// PeriodDuration is Period as a duration; "d" counts days.
func (s Spec) PeriodDuration() (time.Duration, error) {
	days, ok := strings.CutSuffix(s.Period, "d")
	n, err := strconv.Atoi(days)
	if !ok || err != nil || n < 1 {
		return 0, fmt.Errorf("%q must be a whole number of days, e.g. 30d", s.Period)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

// Bucket is the threshold as the histogram's le label value.
func (l Latency) Bucket() (string, error) {
	d, err := time.ParseDuration(l.Threshold)
	if err != nil {
		return "", fmt.Errorf("%q is no duration", l.Threshold)
	}
	for _, b := range Buckets {
		if time.Duration(b*float64(time.Second)) == d {
			return strconv.FormatFloat(b, 'g', -1, 64), nil
		}
	}
	return "", fmt.Errorf("%s is no bucket bound of the request duration histogram %v (seconds)", l.Threshold, Buckets)
}
