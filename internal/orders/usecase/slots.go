package usecase

import (
	"context"
	"sync"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// slots bounds how many checkouts of this replica call cart, catalog and
// the payment provider at once (a bulkhead): a burst of checkouts queues
// here, under no deadline but the request's, instead of piling onto
// catalog's stock rows until its calls time out.
type slots struct {
	once sync.Once
	ch   chan struct{}
}

// turn is one request's place among them.
type turn struct {
	s    *Service
	held bool
}

// take waits for a free slot.
func (t *turn) take(ctx context.Context) error {
	t.s.slots.once.Do(func() { t.s.slots.ch = make(chan struct{}, max(t.s.InFlight, 1)) })
	select {
	case t.s.slots.ch <- struct{}{}:
		t.held = true
		return nil
	case <-ctx.Done():
		return apperr.Unavailable(ctx.Err())
	}
}

// give hands the slot back, if held.
func (t *turn) give() {
	if t.held {
		t.held = false
		<-t.s.slots.ch
	}
}
