package loadgen

import (
	"math"
	"time"
)

// schedule says when the k-th arrival (k >= 1) is due: during the ramp the
// rate climbs linearly from 0 to rate, then holds for steady. The second
// result is false once the run is over.
type schedule struct {
	rate         float64 // arrivals per second at full load
	ramp, steady time.Duration
}

func (s schedule) at(k int) (time.Duration, bool) {
	ramp := s.ramp.Seconds()
	// Arrivals by time t in the ramp: rate * t^2 / (2 * ramp).
	inRamp := s.rate * ramp / 2
	var t float64
	if float64(k) <= inRamp {
		t = math.Sqrt(2 * ramp * float64(k) / s.rate)
	} else {
		t = ramp + (float64(k)-inRamp)/s.rate
	}
	d := time.Duration(t * float64(time.Second))
	return d, d <= s.ramp+s.steady
}

func (s schedule) total() time.Duration { return s.ramp + s.steady }

func (s schedule) phase(elapsed time.Duration) string {
	if elapsed < s.ramp {
		return "ramp"
	}
	return "steady"
}
