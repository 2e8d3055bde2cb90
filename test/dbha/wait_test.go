package dbha_test

import (
	"errors"
	"testing"
	"time"
)

// pollInterval is how often conditions are re-checked: short enough to
// measure failover times to a tenth of a second, long enough to stay cheap
// on a 2-core machine.
const pollInterval = 100 * time.Millisecond

// waitFor polls check until it returns nil and reports how long that took;
// past timeout, or at once when check returns a giveUp error, it fails the
// test with check's last error. Waiting is always on an observed condition,
// never on a fixed sleep.
func waitFor(t testing.TB, timeout time.Duration, what string, check func() error) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		err := check()
		if err == nil {
			return time.Since(start)
		}
		var g giveUp
		if errors.As(err, &g) {
			t.Fatalf("%s: %v", what, err)
		}
		if time.Since(start) > timeout {
			t.Fatalf("%s: still not the case after %s: %v", what, timeout, err)
		}
		time.Sleep(pollInterval)
	}
}

// giveUp marks a condition that can no longer become true (the process we
// wait for has exited), so waiting on would only delay the failure.
type giveUp struct{ error }
