package identitytest_test

import (
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
)

func TestClockStandsStillUntilAdvanced(t *testing.T) {
	c := identitytest.NewClock()
	start := c.Now()
	if start.Nanosecond()%1000 != 0 || time.Since(start) > time.Minute {
		t.Fatalf("start %v", start)
	}
	time.Sleep(2 * time.Millisecond) // real time passes; the clock must not
	if !c.Now().Equal(start) {
		t.Fatal("the clock moved by itself")
	}
	c.Advance(time.Hour)
	if got := c.Now().Sub(start); got != time.Hour {
		t.Fatalf("advanced by %s", got)
	}
}
