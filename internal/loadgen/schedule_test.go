package loadgen

import (
	"testing"
	"time"
)

func TestScheduleRampsThenHolds(t *testing.T) {
	s := schedule{rate: 100, ramp: 10 * time.Second, steady: 20 * time.Second}
	count := func(from, to time.Duration) int {
		n := 0
		for k := 1; ; k++ {
			at, more := s.at(k)
			if !more || at > to {
				return n
			}
			if at > from {
				n++
			}
		}
	}
	// The ramp's mean rate is half the full rate; the steady phase holds it.
	if n := count(0, 10*time.Second); n < 495 || n > 505 {
		t.Errorf("%d arrivals in the 10 s ramp, want about 500", n)
	}
	if n := count(20*time.Second, 30*time.Second); n < 995 || n > 1005 {
		t.Errorf("%d arrivals in 10 s at 100/s, want about 1000", n)
	}
	if n := count(0, 5*time.Second); n < 120 || n > 130 {
		t.Errorf("%d arrivals in the ramp's first half, want about 125", n)
	}
	if _, more := s.at(3001); more {
		t.Error("the schedule must end after ramp and steady")
	}
	flat := schedule{rate: 10, steady: time.Second}
	if at, _ := flat.at(1); at != 100*time.Millisecond {
		t.Errorf("without a ramp the first arrival is due at 1/rate, got %s", at)
	}
}
