package usecase_test

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestPlacePricesReservesChargesAndConfirms(t *testing.T) {
	s := newShop(t, 6)
	o, err := s.place(t, "alice", uuid.NewString(), approved)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != domain.StatusPaid || o.UserID != "alice" || o.CardLast4 != "4242" || len(o.Lines) != 2 ||
		o.Total != (domain.Money{Currency: "EUR", AmountMinor: 2*3290 + 3490}) {
		t.Fatalf("order = %+v", o)
	}
	if got := s.catalog.reservationStatus(o.ReservationID); got != confirmed {
		t.Fatalf("reservation %q, want confirmed", got)
	}
	if got := s.catalog.stockOf(lantern); got != 98 {
		t.Fatalf("lantern stock %d, want 98", got)
	}
	if got := s.cart.clearedVersions(); !slices.Equal(got, []int64{1}) {
		t.Fatalf("cart cleared at versions %v, want [1] (the checked-out one)", got)
	}
	if n := s.count(t, `SELECT count(*) FROM orders WHERE reservation_confirmed AND payment_id = $1`, o.PaymentID); n != 1 {
		t.Fatalf("%d confirmed orders with the charge, want 1", n)
	}
	stored, err := s.svc.Order(t.Context(), o.ID)
	if err != nil || stored.Total != o.Total || len(stored.Lines) != 2 {
		t.Fatalf("stored order = %+v, %v", stored, err)
	}
}

func TestPlaceWithTheSameKeyReturnsTheSameOrder(t *testing.T) {
	s := newShop(t, 6)
	key := uuid.NewString()
	first, err := s.place(t, "bob", key, approved)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.place(t, "bob", key, card("4242 4242 4242 4242")) // the same card, spaced
	if err != nil || again.ID != first.ID {
		t.Fatalf("replay = %s, %v; want order %s", again.ID, err, first.ID)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments`); n != 1 {
		t.Fatalf("%d charges, want 1", n)
	}
	if n := s.catalog.callsTo("Reserve"); n != 1 {
		t.Fatalf("%d reservations, want 1", n)
	}
	_, err = s.place(t, "bob", key, card("5555555555554444"))
	wantField(t, err, apperr.KindFailedPrecondition, domain.IdempotencyKeyField)
	// Another issuer's card with the same last four digits and expiry.
	_, err = s.place(t, "bob", key, card("5555555555004242"))
	wantField(t, err, apperr.KindFailedPrecondition, domain.IdempotencyKeyField)
	// A checkout stored with the previous fingerprint (last four and
	// expiry) still replays for its card.
	sum := sha256.Sum256([]byte("4242|12|2099"))
	if _, err := s.db.Exec(t.Context(), `UPDATE checkouts SET request_hash = $1`, hex.EncodeToString(sum[:8])); err != nil {
		t.Fatal(err)
	}
	if again, err := s.place(t, "bob", key, approved); err != nil || again.ID != first.ID {
		t.Fatalf("replay of a legacy checkout = %s, %v; want order %s", again.ID, err, first.ID)
	}
	// Keys are per user: carol's request with bob's key is her own checkout.
	if o, err := s.place(t, "carol", key, approved); err != nil || o.ID == first.ID {
		t.Fatalf("carol with bob's key: %s, %v", o.ID, err)
	}
}

func TestRefusalsAreRecordedAndReplayed(t *testing.T) {
	cases := []struct {
		name  string
		cart  []domain.CartItem
		field string
	}{
		{"a product no longer sold", []domain.CartItem{{ProductID: uuid.NewString(), Quantity: 1}}, "cart.items[0].productId"},
		{"not enough stock", []domain.CartItem{{ProductID: kettle, Quantity: 1}, {ProductID: lantern, Quantity: 101}}, "items[1].quantity"},
		{"mixed currencies", []domain.CartItem{{ProductID: lantern, Quantity: 1}, {ProductID: dollar, Quantity: 1}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newShop(t, 6)
			s.cart.fill(tc.cart...)
			key := uuid.NewString()
			_, err := s.place(t, "dave", key, approved)
			if !apperr.Is(err, apperr.KindFailedPrecondition) {
				t.Fatalf("got %v, want FailedPrecondition", err)
			}
			if tc.field != "" {
				wantField(t, err, apperr.KindFailedPrecondition, tc.field)
			}
			calls := s.catalog.callsTo("Product")
			_, again := s.place(t, "dave", key, approved)
			if again == nil || apperr.As(again).Message != apperr.As(err).Message {
				t.Fatalf("replay = %v, want %v", again, err)
			}
			if s.catalog.callsTo("Product") != calls {
				t.Fatal("a replayed refusal asked catalog again")
			}
			if s.catalog.stockOf(lantern) != 100 || s.catalog.stockOf(kettle) != 100 {
				t.Fatal("a refused checkout kept stock")
			}
			if n := s.count(t, `SELECT count(*) FROM orders`) + s.count(t, `SELECT count(*) FROM simulated_payments`); n != 0 {
				t.Fatalf("%d orders and charges after a refusal", n)
			}
		})
	}
}

func TestDeclinedCardReleasesTheStockAndIsFinal(t *testing.T) {
	s := newShop(t, 6)
	key := uuid.NewString()
	_, err := s.place(t, "erin", key, card(payment.CardInsufficientFunds))
	wantField(t, err, apperr.KindFailedPrecondition, "card")
	if !strings.Contains(err.Error(), "insufficient_funds") {
		t.Fatalf("decline %v does not say why", err)
	}
	if s.catalog.stockOf(lantern) != 100 {
		t.Fatal("the declined checkout kept its stock")
	}
	_, again := s.place(t, "erin", key, card(payment.CardInsufficientFunds))
	wantField(t, again, apperr.KindFailedPrecondition, "card")
	if n := s.catalog.callsTo("Reserve"); n != 1 {
		t.Fatalf("%d reservations, want 1 (the decline is replayed)", n)
	}
}

func TestProviderOutageUndoesTheAttemptAndTheKeyRetries(t *testing.T) {
	s := newShop(t, 6)
	key := uuid.NewString()
	s.payments.fail(true)
	if _, err := s.place(t, "frank", key, approved); !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("provider outage: %v, want Unavailable", err)
	}
	if s.catalog.stockOf(lantern) != 100 {
		t.Fatal("the aborted attempt kept its stock")
	}
	if n := s.count(t, `SELECT count(*) FROM checkouts WHERE status = 'aborted'`); n != 1 {
		t.Fatalf("%d aborted checkouts, want 1", n)
	}
	s.payments.fail(false)
	o, err := s.place(t, "frank", key, approved)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if o.PaymentKey == "" || !strings.HasSuffix(o.PaymentKey, "/2") {
		t.Fatalf("payment key %q, want the second attempt's", o.PaymentKey)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'captured'`); n != 1 {
		t.Fatalf("%d captured charges, want 1", n)
	}
}

func TestCatalogOutageFailsTheRequestButNotTheKey(t *testing.T) {
	s := newShop(t, 6)
	key := uuid.NewString()
	s.catalog.set(func(c *catalog) { c.down = true })
	if _, err := s.place(t, "gina", key, approved); !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("catalog down: %v, want Unavailable", err)
	}
	s.catalog.set(func(c *catalog) { c.down = false })
	if _, err := s.place(t, "gina", key, approved); err != nil {
		t.Fatalf("the same key once catalog is back: %v", err)
	}
	if n := s.count(t, `SELECT count(*) FROM orders`); n != 1 {
		t.Fatalf("%d orders, want 1", n)
	}
}

func TestBadInputAndAnEmptyCartWriteNothing(t *testing.T) {
	s := newShop(t, 6)
	_, err := s.place(t, "hana", "", approved)
	wantField(t, err, apperr.KindInvalidArgument, domain.IdempotencyKeyField)
	_, err = s.place(t, "hana", uuid.NewString(), card("4242424242424241"))
	wantField(t, err, apperr.KindInvalidArgument, "card.number")
	s.cart.fill()
	_, err = s.place(t, "hana", uuid.NewString(), approved)
	wantField(t, err, apperr.KindFailedPrecondition, "cart")
	if n := s.count(t, `SELECT count(*) FROM checkouts`); n != 0 {
		t.Fatalf("%d checkouts written for refused input", n)
	}
}
