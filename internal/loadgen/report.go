package loadgen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Report is a run's result: what was asked for, what arrived, and per
// route the answers and their latency.
type Report struct {
	API      string         `json:"api"`
	Started  time.Time      `json:"started"`
	Rate     float64        `json:"ratePerSecond"`
	Ramp     string         `json:"ramp"`
	Steady   string         `json:"steady"`
	Elapsed  string         `json:"elapsed"`
	Arrivals int            `json:"arrivals"`
	Dropped  int64          `json:"dropped"`
	Journeys map[string]int `json:"journeys"`
	Routes   []RouteReport  `json:"routes"`
	Total    Outcomes       `json:"total"`
	// Latency over every route's requests together, in milliseconds.
	P50 float64 `json:"p50Ms"`
	P95 float64 `json:"p95Ms"`
	P99 float64 `json:"p99Ms"`
	Max float64 `json:"maxMs"`
}

// Outcomes count answers by class (see classify).
type Outcomes struct {
	Requests  int `json:"requests"`
	OK        int `json:"ok"`
	Rejected  int `json:"rejected"`
	Throttled int `json:"throttled"`
	Errors    int `json:"errors"`
}

// RouteReport is one route's answers and latency in milliseconds.
type RouteReport struct {
	Route string `json:"route"`
	Outcomes
	Statuses map[string]int `json:"statuses"`
	P50      float64        `json:"p50Ms"`
	P95      float64        `json:"p95Ms"`
	P99      float64        `json:"p99Ms"`
	Max      float64        `json:"maxMs"`
}

// Clean says whether every arrival was served: nothing dropped, no
// request rejected, throttled or failed.
func (r *Report) Clean() bool {
	return r.Dropped == 0 && r.Total.Requests > 0 && r.Total.OK == r.Total.Requests
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (rec *recorder) report(o Options, arrivals int, elapsed time.Duration) *Report {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	r := &Report{API: o.API, Rate: o.Rate, Ramp: o.Ramp.String(), Steady: o.Steady.String(),
		Elapsed: elapsed.Round(time.Millisecond).String(), Arrivals: arrivals, Dropped: rec.dropped.Load(),
		Journeys: map[string]int{}, Started: time.Now().Add(-elapsed).UTC().Truncate(time.Second)}
	for k, v := range rec.journeys {
		r.Journeys[k] = v
	}
	all := newHistogram()
	for name, s := range rec.routes {
		all.merge(s.latency)
		rr := RouteReport{Route: name, Statuses: map[string]int{},
			Outcomes: Outcomes{OK: s.outcomes[ok], Rejected: s.outcomes[rejected], Throttled: s.outcomes[throttled], Errors: s.outcomes[failed]},
			P50:      ms(s.latency.quantile(0.50)), P95: ms(s.latency.quantile(0.95)),
			P99: ms(s.latency.quantile(0.99)), Max: ms(s.latency.max)}
		for code, n := range s.statuses {
			label := strconv.Itoa(code)
			if code == 0 {
				label = "transport"
			}
			rr.Statuses[label] = n
		}
		rr.Requests = rr.OK + rr.Rejected + rr.Throttled + rr.Errors
		r.Total.Requests += rr.Requests
		r.Total.OK += rr.OK
		r.Total.Rejected += rr.Rejected
		r.Total.Throttled += rr.Throttled
		r.Total.Errors += rr.Errors
		r.Routes = append(r.Routes, rr)
	}
	slices.SortFunc(r.Routes, func(a, b RouteReport) int { return strings.Compare(a.Route, b.Route) })
	r.P50, r.P95, r.P99, r.Max = ms(all.quantile(0.50)), ms(all.quantile(0.95)), ms(all.quantile(0.99)), ms(all.max)
	return r
}

// JSON is the report for tools.
func (r *Report) JSON() ([]byte, error) { return json.MarshalIndent(r, "", "  ") }

// Markdown is the report for people (docs/benchmarks.md takes its table).
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Load report\n\n%s, %g journeys/s (ramp %s, steady %s), %d arrivals, %d dropped, %s.\n\n",
		r.API, r.Rate, r.Ramp, r.Steady, r.Arrivals, r.Dropped, r.Elapsed)
	b.WriteString("| route | requests | ok | rejected | throttled | errors | p50 ms | p95 ms | p99 ms | max ms |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, x := range r.Routes {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f |\n",
			x.Route, x.Requests, x.OK, x.Rejected, x.Throttled, x.Errors, x.P50, x.P95, x.P99, x.Max)
	}
	t := r.Total
	fmt.Fprintf(&b, "| **all** | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f |\n",
		t.Requests, t.OK, t.Rejected, t.Throttled, t.Errors, r.P50, r.P95, r.P99, r.Max)
	return b.String()
}

// WriteFiles writes report.json and report.md into dir.
func (r *Report) WriteFiles(dir string) error { return writeFiles(dir, "report", r, r.Markdown()) }

// writeFiles writes v as <name>.json and md as <name>.md into dir.
func writeFiles(dir, name string, v any, md string) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".md"), []byte(md), 0o644)
}
