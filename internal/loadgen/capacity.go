package loadgen

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Capacity describes a search for the highest arrival rate a system
// serves cleanly: no request failed (5xx, timeout, broken connection) or
// throttled (429), no arrival dropped, and the 99th percentile of all its
// requests within P99 (a rare route's own p99 rests on a few samples; it
// is reported, not judged). A refusal the shop gives on the merits (a 4xx,
// such as a product sold out under a long run's checkouts) is an answer:
// counted and named, not a failure of capacity. The rate grows by Factor
// from Start until a step fails or Max is reached; Refine bisections then
// narrow the gap between the last clean rate and the first failing one.
// Each step is one run of Options' Ramp and Steady.
type Capacity struct {
	Start, Max, Factor float64
	Refine             int
	P99                time.Duration
}

func (c Capacity) validate() error {
	switch {
	case c.Start <= 0 || c.Max < c.Start:
		return fmt.Errorf("capacity: start rate %g must be positive and at most the maximum %g", c.Start, c.Max)
	case c.Factor <= 1 || c.Factor > 4:
		return fmt.Errorf("capacity: factor %g must be above 1 and at most 4", c.Factor)
	case c.Refine < 0 || c.Refine > 5:
		return fmt.Errorf("capacity: refine %d must be 0 to 5", c.Refine)
	case c.P99 <= 0:
		return fmt.Errorf("capacity: p99 limit must be positive")
	}
	return nil
}

// CapacityStep is one rate tried and its verdict.
type CapacityStep struct {
	Rate       float64 `json:"ratePerSecond"`
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	Throttled  int     `json:"throttled"`
	Dropped    int64   `json:"dropped"`
	Rejected   int     `json:"rejected"`
	Refusals   string  `json:"refusals,omitempty"`
	P99        float64 `json:"p99Ms"`
	WorstRoute string  `json:"worstRoute"`
	WorstP99   float64 `json:"worstP99Ms"`
	Clean      bool    `json:"clean"`
	Why        string  `json:"why,omitempty"`
}

// CapacityReport is a search's result. Capacity is the highest clean
// rate (0 when even the first failed); AtMax says the search stopped at
// Max with every step clean, so the real capacity is higher. Interrupted
// is the rate whose step was cut short when the search was stopped
// (Ctrl-C): the steps before it stand, that one is not judged.
type CapacityReport struct {
	API         string         `json:"api"`
	Started     time.Time      `json:"started"`
	P99Limit    string         `json:"p99Limit"`
	Step        string         `json:"step"`
	Steps       []CapacityStep `json:"steps"`
	Capacity    float64        `json:"capacityPerSecond"`
	AtMax       bool           `json:"atMax"`
	Interrupted float64        `json:"interruptedAtRatePerSecond,omitempty"`
}

// errInterrupted ends a search whose context ended during a step.
var errInterrupted = errors.New("capacity search interrupted")

// FindCapacity signs the users up once and runs the steps one after
// another against the same world. When ctx ends during a step it returns
// the steps finished so far, with Interrupted set, and no error.
func FindCapacity(ctx context.Context, o Options, cp Capacity) (*CapacityReport, error) {
	o.Rate = cp.Start
	if err := o.validate(); err != nil {
		return nil, err
	}
	if err := cp.validate(); err != nil {
		return nil, err
	}
	c := newClient(o)
	w, err := setUp(ctx, c, o.Mix, o.Users)
	if err != nil {
		return nil, fmt.Errorf("set-up: %w", err)
	}
	out := &CapacityReport{API: o.API, Started: time.Now().UTC(), P99Limit: cp.P99.String(),
		Step: fmt.Sprintf("ramp %s, steady %s", o.Ramp, o.Steady)}
	try := func(rate float64) (bool, error) {
		o.Rate = rate
		r, err := drive(ctx, o, c, w)
		if err != nil {
			return false, err
		}
		if ctx.Err() != nil {
			out.Interrupted = rate
			return false, errInterrupted
		}
		step := judge(r, cp.P99)
		out.Steps = append(out.Steps, step)
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "loadgen: %g/s %s\n", rate, verdict(step))
		}
		return step.Clean, nil
	}
	var clean, failed float64
	stopped := func(err error) (*CapacityReport, error) {
		if errors.Is(err, errInterrupted) {
			out.Capacity = clean
			return out, nil
		}
		return nil, err
	}
	for rate := cp.Start; ; rate = min(tenths(rate*cp.Factor), cp.Max) {
		ok, err := try(rate)
		if err != nil {
			return stopped(err)
		}
		if !ok {
			failed = rate
			break
		}
		clean = rate
		if rate >= cp.Max {
			out.AtMax = true
			break
		}
	}
	for range cp.Refine {
		if failed == 0 {
			break
		}
		mid := tenths((clean + failed) / 2)
		if mid <= clean || mid >= failed {
			break // as close as a tenth of a journey a second
		}
		ok, err := try(mid)
		if err != nil {
			return stopped(err)
		}
		if ok {
			clean = mid
		} else {
			failed = mid
		}
	}
	out.Capacity = clean
	return out, nil
}

// tenths rounds a rate to a tenth of a journey a second, so that steps
// read as the rates they are.
func tenths(rate float64) float64 { return math.Round(rate*10) / 10 }

// judge gives a run its verdict against the p99 limit.
func judge(r *Report, limit time.Duration) CapacityStep {
	t := r.Total
	s := CapacityStep{Rate: r.Rate, Requests: t.Requests, Errors: t.Errors, Throttled: t.Throttled,
		Dropped: r.Dropped, Rejected: t.Rejected, P99: r.P99}
	var refusals []string
	for _, x := range r.Routes {
		if x.P99 >= s.WorstP99 {
			s.WorstRoute, s.WorstP99 = x.Route, x.P99
		}
		if x.Rejected > 0 {
			var codes []string
			for code, n := range x.Statuses {
				if code >= "400" && code < "500" && code != "429" {
					codes = append(codes, fmt.Sprintf("%s x%d", code, n))
				}
			}
			slices.Sort(codes)
			refusals = append(refusals, x.Route+" "+strings.Join(codes, ", "))
		}
	}
	s.Refusals = strings.Join(refusals, "; ")
	var why []string
	if s.Requests == 0 {
		why = append(why, "no request was sent")
	}
	if s.Errors > 0 {
		why = append(why, fmt.Sprintf("%d failed", s.Errors))
	}
	if s.Throttled > 0 {
		why = append(why, fmt.Sprintf("%d throttled", s.Throttled))
	}
	if s.Dropped > 0 {
		why = append(why, fmt.Sprintf("%d arrivals dropped (no free shopper or -max-inflight reached)", s.Dropped))
	}
	if s.P99 > ms(limit) {
		why = append(why, fmt.Sprintf("p99 %.1f ms over %s (worst route %s: %.1f ms)", s.P99, limit, s.WorstRoute, s.WorstP99))
	}
	s.Clean = len(why) == 0
	s.Why = strings.Join(why, "; ")
	return s
}

func verdict(s CapacityStep) string {
	v := "failed: " + s.Why
	if s.Clean {
		v = fmt.Sprintf("clean (%d requests, p99 %.1f ms)", s.Requests, s.P99)
	}
	if s.Rejected > 0 {
		v += fmt.Sprintf("; %d refused on the merits (%s)", s.Rejected, s.Refusals)
	}
	return v
}

// Markdown is the search for people.
func (r *CapacityReport) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Capacity\n\n%s: each step %s; clean = no request failed or throttled, nothing dropped, p99 of all requests within %s (a 4xx is an answer).\n\n",
		r.API, r.Step, r.P99Limit)
	b.WriteString("| journeys/s | requests | failed | throttled | dropped | 4xx | p99 ms | worst route's p99 ms | verdict |\n|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "| %g | %d | %d | %d | %d | %d | %.1f | %.1f (%s) | %s |\n",
			s.Rate, s.Requests, s.Errors, s.Throttled, s.Dropped, s.Rejected, s.P99, s.WorstP99, s.WorstRoute, verdict(s))
	}
	switch {
	case r.Interrupted > 0 && r.Capacity == 0:
		fmt.Fprintf(&b, "\n**Interrupted during the step at %g journeys/s, before any rate was served cleanly.**\n", r.Interrupted)
	case r.Interrupted > 0:
		fmt.Fprintf(&b, "\n**Interrupted during the step at %g journeys/s: capacity at least %g journeys/s.**\n", r.Interrupted, r.Capacity)
	case r.Capacity == 0:
		b.WriteString("\n**Capacity: below the first rate tried.**\n")
	case r.AtMax:
		fmt.Fprintf(&b, "\n**Capacity: at least %g journeys/s** (the maximum tried).\n", r.Capacity)
	default:
		fmt.Fprintf(&b, "\n**Capacity: %g journeys/s.**\n", r.Capacity)
	}
	return b.String()
}

// WriteFiles writes capacity.json and capacity.md into dir.
func (r *CapacityReport) WriteFiles(dir string) error {
	return writeFiles(dir, "capacity", r, r.Markdown())
}
