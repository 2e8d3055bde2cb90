package usecase

import (
	"context"
	"errors"
	"time"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
)

var (
	// errLeaseLost: another claim took the checkout over (its lease had
	// run out) while this request worked on it.
	errLeaseLost = errors.New("the checkout was taken over by another claim")
	// errLeaseExpired: renewals failed for so long that the lease may have
	// run out.
	errLeaseExpired = errors.New("the checkout's lease could not be renewed")
)

// claim keeps a claimed checkout's lease while a request works on it,
// without holding a database connection in between: it renews the lease
// every quarter of its length, and cancels the work's context once the
// lease may have run out (no renewal for 7/8 of it), or another claim took
// the checkout over, so that no call starts for an attempt someone else
// may be undoing.
type claim struct {
	stop, done chan struct{}
	cancel     context.CancelCauseFunc
}

// hold starts keeping c's lease; work is the context to work under.
func (s *Service) hold(ctx context.Context, c domain.Checkout) (work context.Context, h *claim) {
	work, cancel := context.WithCancelCause(ctx)
	h = &claim{stop: make(chan struct{}), done: make(chan struct{}), cancel: cancel}
	go h.renew(work, s, c, s.lease())
	return work, h
}

func (h *claim) renew(ctx context.Context, s *Service, c domain.Checkout, lease time.Duration) {
	defer close(h.done)
	margin := lease / 8
	tick := time.NewTicker(lease / 4)
	defer tick.Stop()
	// Counted from now, a little after the claim: the margin covers that.
	expiry := time.NewTimer(lease - margin)
	defer expiry.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-expiry.C:
			h.cancel(errLeaseExpired)
			return
		case <-tick.C:
			sent := time.Now()
			err := s.Store.RenewLease(ctx, c, lease)
			switch {
			case errors.Is(err, domain.ErrLeaseLost):
				h.cancel(errLeaseLost)
				return
			case err == nil:
				expiry.Reset(time.Until(sent.Add(lease - margin)))
			case ctx.Err() == nil:
				s.Log.WarnContext(ctx, "renewing a checkout's lease failed", "checkout", c.ID, "error", err)
			}
		}
	}
}

// release stops the renewals. Why the work's context ended, if it did, is
// its cause: errLeaseLost or errLeaseExpired.
func (h *claim) release() {
	close(h.stop)
	h.cancel(nil)
	<-h.done
}
