package identitytest

import (
	"sync"
	"time"
)

// Clock stands still unless advanced, so time passing on a loaded machine
// cannot change what a test sees; everything sharing one sees the same time.
// It starts at the wall clock's now in whole microseconds, PostgreSQL's
// precision, so times read back from the database compare equal.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at the wall clock's now.
func NewClock() *Clock { return &Clock{now: time.Now().Truncate(time.Microsecond)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
