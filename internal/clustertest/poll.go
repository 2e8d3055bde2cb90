package clustertest

import (
	"testing"
	"time"
)

// Poll calls check every interval until it returns nil, and fails the test
// with check's last error if that has not happened within the deadline.
// Cluster state converges in seconds, so the interval is coarse (a kubectl
// or an HTTP call each time), unlike stacktest.Eventually's.
func Poll(t testing.TB, within, interval time.Duration, what string, check func() error) {
	t.Helper()
	if err := PollErr(within, interval, check); err != nil {
		t.Fatalf("timed out after %s waiting for %s: %v", within, what, err)
	}
}

// PollErr is Poll returning check's last error instead of failing a test.
func PollErr(within, interval time.Duration, check func() error) error {
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(interval)
	}
}
