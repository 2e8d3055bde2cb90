package loadgen

import (
	"fmt"
	"io"
	"time"
)

// progress prints a status line every second until the returned stop is
// called; it prints nothing when w is nil.
func progress(w io.Writer, rec *recorder, s schedule, start time.Time) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				elapsed := time.Since(start).Truncate(time.Second)
				fmt.Fprintf(w, "loadgen: %5s/%s %-6s  sent %d  in flight %d  not ok %d  dropped %d\n",
					elapsed, s.total(), s.phase(elapsed), rec.sent.Load(), rec.inFlight.Load(), rec.bad.Load(), rec.dropped.Load())
			}
		}
	}()
	return func() { close(done); <-finished }
}
