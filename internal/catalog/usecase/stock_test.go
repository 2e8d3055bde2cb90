package usecase_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/catalog/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func reserve(f *fixture, t *testing.T, id string, items ...domain.StockItem) (domain.Reservation, error) {
	return f.catalog.ReserveStock(t.Context(), usecase.ReserveRequest{ReservationID: id, Items: items})
}

func TestFiftyConcurrentReservationsNeverOversell(t *testing.T) {
	f := setup(t)
	f.setStock(t, lantern, 10)
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := reserve(f, t, uuid.NewString(), item(lantern, 1))
			switch {
			case err == nil:
				ok.Add(1)
			case apperr.Is(err, apperr.KindFailedPrecondition):
				refused.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 10 || refused.Load() != 40 || f.stock(t, lantern) != 0 {
		t.Fatalf("%d reserved, %d refused, stock %d; want 10, 40, 0", ok.Load(), refused.Load(), f.stock(t, lantern))
	}
}

// A refused item is named as the caller sent it, although the store takes
// items sorted by product id.
func TestRefusedItemsAreNamedInTheCallersOrder(t *testing.T) {
	f := setup(t)
	f.setStock(t, lantern, 5)
	f.setStock(t, kettle, 1)
	for _, order := range [][]domain.StockItem{
		{item(lantern, 2), item(kettle, 2)},
		{item(kettle, 2), item(lantern, 2)},
	} {
		at := "items[1].quantity"
		if order[0].ProductID == kettle {
			at = "items[0].quantity"
		}
		_, err := reserve(f, t, uuid.NewString(), order...)
		wantError(t, "short kettle", err, apperr.KindFailedPrecondition, at)
		if reason := apperr.As(err).Fields[0].Reason; reason != "only 1 left" {
			t.Fatalf("reason %q", reason)
		}
	}
	if f.stock(t, lantern) != 5 || f.stock(t, kettle) != 1 {
		t.Fatal("a refused reservation changed stock")
	}
	unknown := uuid.NewString()
	_, err := reserve(f, t, uuid.NewString(), item(lantern, 1), item(unknown, 1))
	wantError(t, "unknown product", err, apperr.KindNotFound, "items[1].productId")
}

func TestReservationReplayAndReuse(t *testing.T) {
	f := setup(t)
	f.setStock(t, lantern, 10)
	before := f.cachedStock(t, lantern) // fills the cache
	id := uuid.NewString()
	first, err := reserve(f, t, id, item(lantern, 3))
	if err != nil || first.Status != domain.StatusHeld {
		t.Fatalf("reserve = %+v, %v", first, err)
	}
	again, err := reserve(f, t, id, item(lantern, 3))
	if err != nil || again.ID != id || !again.ExpiresAt.Equal(first.ExpiresAt) {
		t.Fatalf("replay = %+v, %v; want the first reservation", again, err)
	}
	if got := f.cachedStock(t, lantern); got != before-3 {
		t.Fatalf("stock through the cache = %d, want %d", got, before-3)
	}
	_, err = reserve(f, t, id, item(kettle, 1))
	wantError(t, "id reused for other items", err, apperr.KindFailedPrecondition, "reservationId")
	for _, tc := range []struct {
		req   usecase.ReserveRequest
		field string
	}{
		{usecase.ReserveRequest{ReservationID: "42", Items: []domain.StockItem{item(lantern, 1)}}, "reservationId"},
		{usecase.ReserveRequest{ReservationID: uuid.NewString()}, "items"},
		{usecase.ReserveRequest{ReservationID: uuid.NewString(), Items: []domain.StockItem{item(lantern, 0)}}, "items[0].quantity"},
		{usecase.ReserveRequest{ReservationID: uuid.NewString(), Items: []domain.StockItem{item(lantern, 1)}, TTLSeconds: 7200}, "ttlSeconds"},
	} {
		_, err := f.catalog.ReserveStock(t.Context(), tc.req)
		wantError(t, tc.field, err, apperr.KindInvalidArgument, tc.field)
	}
	if got := f.stock(t, lantern); got != 7 {
		t.Fatalf("stock = %d, want 7", got)
	}
}

func TestConfirmReleaseAndExpiry(t *testing.T) {
	f := setup(t)
	f.setStock(t, lantern, 10)
	kept, late, dropped := uuid.NewString(), uuid.NewString(), uuid.NewString()
	for _, id := range []string{kept, late, dropped} {
		if _, err := reserve(f, t, id, item(lantern, 2)); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 { // confirming twice is fine
		if r, err := f.catalog.ConfirmReservation(t.Context(), kept); err != nil || r.Status != domain.StatusConfirmed {
			t.Fatalf("confirm = %+v, %v", r, err)
		}
	}
	for range 2 { // releasing twice gives the stock back once
		if r, err := f.catalog.ReleaseStock(t.Context(), dropped); err != nil || r.Status != domain.StatusReleased {
			t.Fatalf("release = %+v, %v", r, err)
		}
	}
	_, err := f.catalog.ConfirmReservation(t.Context(), dropped)
	wantError(t, "confirm of released", err, apperr.KindFailedPrecondition, "reservationId")
	if got := f.cachedStock(t, lantern); got != 6 {
		t.Fatalf("stock = %d, want 6 (two reservations of 2 held)", got)
	}

	// Past the default lifetime: a confirm expires the reservation on the
	// spot and is refused; the stock is back, also through the cache.
	f.now = f.now.Add(domain.DefaultReservationTTL)
	_, err = f.catalog.ConfirmReservation(t.Context(), late)
	wantError(t, "late confirm", err, apperr.KindFailedPrecondition, "reservationId")
	if apperr.As(err).Message != "reservation is expired" {
		t.Fatalf("message %q", apperr.As(err).Message)
	}
	if got := f.cachedStock(t, lantern); got != 8 {
		t.Fatalf("stock = %d after the late confirm, want 8", got)
	}
	if n, err := f.catalog.ExpireDue(t.Context(), f.now, 10); err != nil || n != 0 {
		t.Fatalf("sweep = %d, %v; want nothing left to expire", n, err)
	}

	_, err = f.catalog.ReleaseStock(t.Context(), uuid.NewString())
	wantError(t, "release of unknown", err, apperr.KindNotFound, "")
	_, err = f.catalog.ConfirmReservation(t.Context(), "x")
	wantError(t, "malformed id", err, apperr.KindInvalidArgument, "reservationId")
}

func TestExpireDueReturnsStockAndRefreshesTheCache(t *testing.T) {
	f := setup(t)
	f.setStock(t, lantern, 10)
	if _, err := f.catalog.ReserveStock(t.Context(), usecase.ReserveRequest{ReservationID: uuid.NewString(),
		Items: []domain.StockItem{item(lantern, 4)}, TTLSeconds: 60}); err != nil {
		t.Fatal(err)
	}
	if got := f.cachedStock(t, lantern); got != 6 {
		t.Fatalf("stock = %d, want 6", got)
	}
	n, err := f.catalog.ExpireDue(t.Context(), f.now.Add(2*time.Minute), 10)
	if err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v; want 1", n, err)
	}
	if got := f.cachedStock(t, lantern); got != 10 {
		t.Fatalf("stock through the cache = %d after expiry, want 10", got)
	}
}
