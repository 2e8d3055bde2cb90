package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Options describe one run.
type Options struct {
	// API is the public API's base URL, e.g. http://127.0.0.1:8080/api/v1.
	API string
	Mix Mix
	// Rate is arrivals (journeys started) per second at full load.
	Rate float64
	// Ramp climbs from 0 to Rate; Steady holds Rate. Both bound the run.
	Ramp, Steady time.Duration
	// Users is how many shoppers to sign up when the mix needs any; a
	// journey holds one alone, so it also bounds concurrent user journeys.
	Users int
	// MaxInFlight caps journeys running at once; an arrival beyond it is
	// dropped and counted, never queued (queueing would hide latency).
	MaxInFlight int
	// Timeout bounds each request.
	Timeout time.Duration
	// SpreadClients sends each shopper's own address in X-Forwarded-For.
	SpreadClients bool
	// Progress, when set, gets a status line every second.
	Progress io.Writer
	// Stop, when closed, ends the arrivals before the schedule does; the
	// journeys already started finish and are reported (cancelling the
	// context would fail them instead).
	Stop <-chan struct{}
}

func (o Options) validate() error {
	switch {
	case !strings.HasPrefix(o.API, "http://") && !strings.HasPrefix(o.API, "https://"):
		return fmt.Errorf("api: %q is not an http(s) URL", o.API)
	case o.Rate <= 0 || o.Rate > 10000:
		return fmt.Errorf("rate: %g must be above 0 and at most 10000 per second", o.Rate)
	case o.Ramp < 0 || o.Steady <= 0 || o.Ramp+o.Steady > time.Hour:
		return fmt.Errorf("ramp/steady: %s + %s must be positive and at most 1h", o.Ramp, o.Steady)
	case o.MaxInFlight < 1:
		return fmt.Errorf("max-inflight: must be at least 1")
	case o.Timeout <= 0:
		return fmt.Errorf("timeout: must be positive")
	}
	return o.Mix.validate()
}

// Run sets up users, drives the mix on schedule and reports. It returns
// once every journey has finished (each request is bounded by Timeout).
func Run(ctx context.Context, o Options) (*Report, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	c := newClient(o)
	w, err := setUp(ctx, c, o.Mix, o.Users)
	if err != nil {
		return nil, fmt.Errorf("set-up: %w", err)
	}
	return drive(ctx, o, c, w)
}

func newClient(o Options) *client {
	return &client{api: strings.TrimSuffix(o.API, "/"), timeout: o.Timeout, spread: o.SpreadClients,
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.MaxInFlight, MaxConnsPerHost: 0}}}
}

// drive runs the schedule against a world already set up.
func drive(ctx context.Context, o Options, c *client, w *world) (*Report, error) {
	sched := schedule{rate: o.Rate, ramp: o.Ramp, steady: o.Steady}
	rec := newRecorder()
	weights := cumulative(o.Mix.Journeys)
	start := time.Now()
	stopProgress := progress(o.Progress, rec, sched, start)

	var wg sync.WaitGroup
	arrivals := 0
	for k := 1; ; k++ {
		at, more := sched.at(k)
		if !more {
			break
		}
		if !sleepUntil(ctx, o.Stop, start.Add(at)) {
			break
		}
		arrivals++
		j := o.Mix.Journeys[pick(weights)]
		if rec.inFlight.Load() >= int64(o.MaxInFlight) {
			rec.dropped.Add(1)
			continue
		}
		rec.inFlight.Add(1)
		wg.Go(func() {
			defer rec.inFlight.Add(-1)
			runJourney(ctx, c, w, o.Mix, j, rec, start.Add(at))
		})
	}
	wg.Wait()
	stopProgress()
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return nil, err
	}
	return rec.report(o, arrivals, time.Since(start)), nil
}

// sleepUntil waits for t and says whether arrivals go on: not once ctx
// is done or stop is closed (a nil stop never is).
func sleepUntil(ctx context.Context, stop <-chan struct{}, t time.Time) bool {
	timer := time.NewTimer(max(time.Until(t), 0))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-stop:
		return false
	case <-timer.C:
		return ctx.Err() == nil
	}
}

func cumulative(js []Journey) []int {
	out := make([]int, len(js))
	sum := 0
	for i, j := range js {
		sum += j.Weight
		out[i] = sum
	}
	return out
}

func pick(cum []int) int {
	r := rand.IntN(cum[len(cum)-1])
	for i, c := range cum {
		if r < c {
			return i
		}
	}
	return len(cum) - 1
}

// runJourney binds the journey's values and runs its steps until one is
// not answered with success. The first step's latency counts from when the
// arrival was due, so a client that fell behind still shows the wait.
func runJourney(ctx context.Context, c *client, w *world, m Mix, j Journey, rec *recorder, due time.Time) {
	var u *user
	if j.needsUser() {
		select {
		case u = <-w.users:
			defer func() { w.users <- u }()
		default:
			rec.dropped.Add(1) // every shopper is busy: the client is saturated
			return
		}
	}
	rec.started(j.Name)
	offer := w.products
	if u != nil && len(w.inStock) > 0 {
		offer = w.inStock
	}
	p := offer[rand.IntN(len(offer))]
	values := map[string]string{
		"{category}": w.categories[rand.IntN(len(w.categories))], "{product.id}": p.id, "{product.slug}": p.slug,
	}
	if len(m.SearchTerms) > 0 {
		values["{term}"] = m.SearchTerms[rand.IntN(len(m.SearchTerms))]
	}
	shopper := rand.IntN(1 << 17)
	if u != nil {
		values["{user.email}"], values["{user.password}"], shopper = u.email, u.password, u.n
	}
	bind := func(s string) string {
		return placeholder.ReplaceAllStringFunc(s, func(p string) string { return values[p] })
	}
	key := uuid.NewString()
	for i, s := range j.Steps {
		h := http.Header{}
		if s.Auth == "user" {
			h.Set("Authorization", "Bearer "+u.token)
		}
		if s.Idempotent {
			h.Set("Idempotency-Key", key)
		}
		sent := time.Now()
		r := c.do(ctx, s.Method, bind(s.Path), bind(s.Body), h, shopper)
		latency := r.elapsed
		if i == 0 {
			latency += sent.Sub(due)
		}
		if rec.record(s.Route, r, latency) != ok {
			return
		}
	}
}
