package store_test

import (
	"errors"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// place stores c, completes it with its order and returns the order as
// stored.
func place(t *testing.T, st *store.Store, c domain.Checkout) domain.Order {
	t.Helper()
	if err := st.CreateCheckout(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	o := newOrder(c)
	if err := st.WithCheckout(t.Context(), c.UserID, c.Key, func(tx *store.CheckoutTx) error { return tx.Complete(t.Context(), o) }); err != nil {
		t.Fatal(err)
	}
	stored, err := st.GetOrder(t.Context(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return stored
}

func TestCreateCheckoutKeepsTheFirstRowOfAKey(t *testing.T) {
	st, _ := newStore(t)
	c := newCheckout("alice")
	if err := st.CreateCheckout(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	rival := c
	rival.ID, rival.RequestHash = newCheckout("alice").ID, "h2"
	if err := st.CreateCheckout(t.Context(), rival); err != nil {
		t.Fatalf("a second create with the key: %v, want no error", err)
	}
	got, found, err := st.FindCheckout(t.Context(), "alice", c.Key)
	if err != nil || !found || got.ID != c.ID || got.RequestHash != "h1" || got.Status != domain.CheckoutPending ||
		got.Attempt != 1 || got.CartVersion != 3 || len(got.Items) != 2 || got.Items[1] != c.Items[1] {
		t.Fatalf("found %+v, %v, %v; want the first row", got, found, err)
	}
	if _, found, err := st.FindCheckout(t.Context(), "bob", c.Key); found || err != nil {
		t.Fatalf("bob sees alice's key: %v, %v", found, err)
	}
}

func TestAFailureIsStoredWithItsKindMessageAndField(t *testing.T) {
	st, _ := newStore(t)
	c := newCheckout("carol")
	if err := st.CreateCheckout(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	failure := &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "not enough stock",
		Fields: []apperr.FieldViolation{{Field: "items[1].quantity", Reason: "not enough stock"}}}
	if err := st.WithCheckout(t.Context(), "carol", c.Key, func(tx *store.CheckoutTx) error { return tx.Fail(t.Context(), failure) }); err != nil {
		t.Fatal(err)
	}
	got, _, err := st.FindCheckout(t.Context(), "carol", c.Key)
	if err != nil || got.Status != domain.CheckoutFailed || got.Failure == nil || got.Failure.Kind != apperr.KindFailedPrecondition ||
		got.Failure.Message != failure.Message || got.Failure.Fields[0].Field != "items[1].quantity" {
		t.Fatalf("stored failure %+v (%+v), %v", got.Failure, got, err)
	}
}

func TestCompleteWritesTheOrderAndItsLines(t *testing.T) {
	st, pool := newStore(t)
	c := newCheckout("dave")
	o := place(t, st, c)
	got, err := st.GetOrder(t.Context(), o.ID)
	if err != nil || got.UserID != "dave" || got.Total != o.Total || got.PaymentKey != c.PaymentKey() ||
		got.ReservationID != c.ReservationID || len(got.Lines) != 2 || got.Lines[1].Total() != 500 || got.CreatedAt.IsZero() {
		t.Fatalf("stored order %+v, %v", got, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM checkouts WHERE status = 'completed' AND order_id = $1`, o.ID); n != 1 {
		t.Fatal("the checkout does not point at its order")
	}
	if _, err := st.GetOrder(t.Context(), c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown order: %v, want ErrNotFound", err)
	}
	if err := st.WithCheckout(t.Context(), "dave", "no-such-key", func(*store.CheckoutTx) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown checkout: %v, want ErrNotFound", err)
	}
}
