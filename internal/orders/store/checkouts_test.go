package store_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

const lease = time.Minute

// create stores c, claimed by its lease owner.
func create(t *testing.T, st *store.Store, c domain.Checkout) {
	t.Helper()
	if created, err := st.CreateCheckout(t.Context(), c, lease); err != nil || !created {
		t.Fatalf("create = %v, %v", created, err)
	}
}

// place stores c, completes it with its order and returns the order as
// stored.
func place(t *testing.T, st *store.Store, c domain.Checkout) domain.Order {
	t.Helper()
	create(t, st, c)
	o := newOrder(c)
	if err := st.Complete(t.Context(), c, o); err != nil {
		t.Fatal(err)
	}
	stored, err := st.GetOrder(t.Context(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return stored
}

// expireLease makes c's lease run out, as when its request died.
func expireLease(t *testing.T, st *store.Store, c domain.Checkout) {
	t.Helper()
	if err := st.RenewLease(t.Context(), c, -time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestCreateCheckoutKeepsTheFirstRowOfAKey(t *testing.T) {
	st, _ := newStore(t)
	c := newCheckout("alice")
	create(t, st, c)
	rival := newCheckout("alice")
	rival.Key, rival.RequestHash = c.Key, "h2"
	if created, err := st.CreateCheckout(t.Context(), rival, lease); created || err != nil {
		t.Fatalf("a second create with the key = %v, %v; want nothing created, no error", created, err)
	}
	got, err := st.FindCheckout(t.Context(), "alice", c.Key)
	if err != nil || got.ID != c.ID || got.RequestHash != "h1" || got.Status != domain.CheckoutPending || got.Attempt != 1 ||
		got.CartVersion != 3 || len(got.Items) != 2 || got.Items[1] != c.Items[1] || got.LeaseOwner != c.LeaseOwner || got.LeaseExpired {
		t.Fatalf("found %+v, %v; want the first row under its live lease", got, err)
	}
	if _, err := st.FindCheckout(t.Context(), "bob", c.Key); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("bob sees alice's key: %v", err)
	}
}

// Every write of an attempt checks its claim: after a take-over the old
// claimer can neither settle the checkout nor write an order.
func TestALeaseIsTakenOverOnlyOnceItRanOut(t *testing.T) {
	st, pool := newStore(t)
	c := newCheckout("carol")
	create(t, st, c)
	if _, err := st.TakeOver(t.Context(), c.ID, uuid.NewString(), lease); !errors.Is(err, domain.ErrLeaseLost) {
		t.Fatalf("take-over of a live lease: %v, want ErrLeaseLost", err)
	}
	if _, err := st.ClaimStale(t.Context(), uuid.NewString(), lease); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("claim with no lease run out: %v, want ErrNotFound", err)
	}
	expireLease(t, st, c)
	if found, _ := st.FindCheckout(t.Context(), "carol", c.Key); !found.LeaseExpired {
		t.Fatal("the lease should read as run out")
	}
	taker := uuid.NewString()
	taken, err := st.TakeOver(t.Context(), c.ID, taker, lease)
	if err != nil || taken.LeaseOwner != taker || taken.LeaseExpired || taken.Attempt != 1 || taken.ReservationID != c.ReservationID {
		t.Fatalf("take-over = %+v, %v", taken, err)
	}
	for name, write := range map[string]func() error{
		"renew":    func() error { return st.RenewLease(t.Context(), c, lease) },
		"fail":     func() error { return st.Fail(t.Context(), c, apperr.New(apperr.KindFailedPrecondition, "no")) },
		"abort":    func() error { return st.Abort(t.Context(), c) },
		"complete": func() error { return st.Complete(t.Context(), c, newOrder(c)) },
	} {
		if err := write(); !errors.Is(err, domain.ErrLeaseLost) {
			t.Errorf("%s by the old claim: %v, want ErrLeaseLost", name, err)
		}
	}
	if n := count(t, pool, `SELECT count(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders written under a lost lease", n)
	}
	if err := st.Abort(t.Context(), taken); err != nil {
		t.Fatalf("abort by the taker: %v", err)
	}
}

func TestStartAttemptOnlyAfterAnAbort(t *testing.T) {
	st, _ := newStore(t)
	c := newCheckout("dave")
	create(t, st, c)
	if _, err := st.StartAttempt(t.Context(), c.ID, uuid.NewString(), uuid.NewString(), lease); !errors.Is(err, domain.ErrLeaseLost) {
		t.Fatalf("new attempt of a pending checkout: %v, want ErrLeaseLost", err)
	}
	if err := st.Abort(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	owner, reservation := uuid.NewString(), uuid.NewString()
	next, err := st.StartAttempt(t.Context(), c.ID, owner, reservation, lease)
	if err != nil || next.Status != domain.CheckoutPending || next.Attempt != 2 || next.ReservationID != reservation ||
		next.LeaseOwner != owner || next.PaymentKey() == c.PaymentKey() {
		t.Fatalf("new attempt = %+v, %v", next, err)
	}
	if _, err := st.StartAttempt(t.Context(), c.ID, uuid.NewString(), uuid.NewString(), lease); !errors.Is(err, domain.ErrLeaseLost) {
		t.Fatalf("a second new attempt: %v, want ErrLeaseLost", err)
	}
}

// Replicas' recovery passes race for stale checkouts: each is claimed once.
func TestClaimStaleHandsEachCheckoutToOneClaimer(t *testing.T) {
	st, _ := newStore(t)
	for range 3 {
		c := newCheckout("erin")
		create(t, st, c)
		expireLease(t, st, c)
	}
	var claimed atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				_, err := st.ClaimStale(t.Context(), uuid.NewString(), lease)
				if errors.Is(err, domain.ErrNotFound) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				claimed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := claimed.Load(); n != 3 {
		t.Fatalf("%d claims of 3 stale checkouts", n)
	}
}

func TestAFailureIsStoredWithItsKindMessageAndField(t *testing.T) {
	st, _ := newStore(t)
	c := newCheckout("frank")
	create(t, st, c)
	failure := &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "not enough stock",
		Fields: []apperr.FieldViolation{{Field: "items[1].quantity", Reason: "not enough stock"}}}
	if err := st.Fail(t.Context(), c, failure); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindCheckout(t.Context(), "frank", c.Key)
	if err != nil || got.Status != domain.CheckoutFailed || got.Failure == nil || got.Failure.Kind != apperr.KindFailedPrecondition ||
		got.Failure.Message != failure.Message || got.Failure.Fields[0].Field != "items[1].quantity" {
		t.Fatalf("stored failure %+v (%+v), %v", got.Failure, got, err)
	}
}

func TestCompleteWritesTheOrderAndItsLines(t *testing.T) {
	st, pool := newStore(t)
	c := newCheckout("gina")
	o := place(t, st, c)
	if o.UserID != "gina" || o.Total.AmountMinor != 600 || o.PaymentKey != c.PaymentKey() ||
		o.ReservationID != c.ReservationID || len(o.Lines) != 2 || o.Lines[1].Total() != 500 || o.CreatedAt.IsZero() {
		t.Fatalf("stored order %+v", o)
	}
	if n := count(t, pool, `SELECT count(*) FROM checkouts WHERE status = 'completed' AND order_id = $1`, o.ID); n != 1 {
		t.Fatal("the checkout does not point at its order")
	}
	if _, err := st.GetOrder(t.Context(), c.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown order: %v, want ErrNotFound", err)
	}
}
