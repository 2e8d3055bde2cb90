package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
)

var (
	lantern = seed.ID("product", "storm-lantern")
	kettle  = seed.ID("product", "gimballed-stove-kettle")
)

func items(pairs ...any) []domain.StockItem {
	var out []domain.StockItem
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, domain.StockItem{ProductID: pairs[i].(string), Quantity: int32(pairs[i+1].(int))})
	}
	out, err := domain.NormalizeItems("items", out)
	if err != nil {
		panic(err)
	}
	return out
}

func TestFiftyConcurrentReservationsOfStockTenSucceedTenTimes(t *testing.T) {
	st, pool := newStore(t)
	setStock(t, pool, lantern, 10)
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := st.Reserve(context.Background(), uuid.NewString(), items(lantern, 1), time.Minute)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, domain.ErrInsufficientStock):
				refused.Add(1)
			default:
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 10 || refused.Load() != 40 {
		t.Fatalf("succeeded %d, refused %d; want 10 and 40", ok.Load(), refused.Load())
	}
	if got := stockOf(t, pool, lantern); got != 0 {
		t.Fatalf("stock = %d, want 0", got)
	}
}

func TestReplayedReservationIDNeverReservesTwice(t *testing.T) {
	st, pool := newStore(t)
	setStock(t, pool, lantern, 10)
	id := uuid.NewString()
	var wg sync.WaitGroup
	results := make([]domain.Reservation, 20)
	for i := range results {
		wg.Go(func() {
			r, err := st.Reserve(context.Background(), id, items(lantern, 3), time.Minute)
			if err != nil {
				t.Errorf("replay %d: %v", i, err)
			}
			results[i] = r
		})
	}
	wg.Wait()
	if got := stockOf(t, pool, lantern); got != 7 {
		t.Fatalf("stock = %d after 20 replays of one reservation of 3, want 7", got)
	}
	for i, r := range results {
		if r.ID != id || r.Status != domain.StatusHeld || !r.ExpiresAt.Equal(results[0].ExpiresAt) {
			t.Fatalf("replay %d returned %+v, want the first reservation %+v", i, r, results[0])
		}
	}
	// A replay after release still does not reserve again.
	if _, err := st.Release(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Reserve(context.Background(), id, items(lantern, 3), time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := stockOf(t, pool, lantern); got != 10 {
		t.Fatalf("stock = %d after release and replay, want 10", got)
	}
}

// A reservation id used again with other items changes nothing and returns
// what is stored (the use case refuses the mismatch).
func TestReservationIDReusedWithOtherItemsReturnsTheStoredOne(t *testing.T) {
	st, pool := newStore(t)
	id := uuid.NewString()
	before := stockOf(t, pool, kettle)
	if _, err := st.Reserve(context.Background(), id, items(lantern, 1), time.Minute); err != nil {
		t.Fatal(err)
	}
	r, err := st.Reserve(context.Background(), id, items(kettle, 1), time.Minute)
	if err != nil || !slices.Equal(r.Items, items(lantern, 1)) {
		t.Fatalf("got %+v, %v; want the stored reservation of the lantern", r, err)
	}
	if got := stockOf(t, pool, kettle); got != before {
		t.Fatalf("kettle stock changed from %d to %d", before, got)
	}
}

func TestReservationIsAllOrNothing(t *testing.T) {
	st, pool := newStore(t)
	setStock(t, pool, lantern, 5)
	setStock(t, pool, kettle, 1)
	_, err := st.Reserve(context.Background(), uuid.NewString(), items(lantern, 2, kettle, 2), time.Minute)
	var ie *domain.ItemError
	// Items are sorted by id: find where the kettle went.
	kettleAt := slices.IndexFunc(items(lantern, 2, kettle, 2), func(it domain.StockItem) bool { return it.ProductID == kettle })
	if !errors.As(err, &ie) || !errors.Is(err, domain.ErrInsufficientStock) || ie.Index != kettleAt || ie.Left != 1 {
		t.Fatalf("err = %v, want insufficient stock of item %d with 1 left", err, kettleAt)
	}
	if stockOf(t, pool, lantern) != 5 || stockOf(t, pool, kettle) != 1 {
		t.Fatal("a failed reservation must leave every stock untouched")
	}
}

func TestReservingAnUnknownProductIsNotFound(t *testing.T) {
	st, _ := newStore(t)
	_, err := st.Reserve(context.Background(), uuid.NewString(), items(uuid.NewString(), 1), time.Minute)
	var ie *domain.ItemError
	if !errors.As(err, &ie) || !errors.Is(err, domain.ErrNotFound) || ie.Index != 0 {
		t.Fatalf("err = %v, want item 0 not found", err)
	}
}

func TestExpiredReservationsReturnTheirStock(t *testing.T) {
	st, pool := newStore(t)
	setStock(t, pool, lantern, 10)
	now := time.Now()
	clock := func() time.Time { return now }
	st = st.WithClock(clock)
	short, long := uuid.NewString(), uuid.NewString()
	if _, err := st.Reserve(context.Background(), short, items(lantern, 4), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Reserve(context.Background(), long, items(lantern, 2), time.Hour); err != nil {
		t.Fatal(err)
	}
	n, err := st.ExpireDue(context.Background(), now.Add(2*time.Minute), 100)
	if err != nil || n != 1 {
		t.Fatalf("ExpireDue = %d, %v; want 1 expired", n, err)
	}
	if got := stockOf(t, pool, lantern); got != 8 {
		t.Fatalf("stock = %d, want 8 (4 returned, 2 still held)", got)
	}
	// Expiring again finds nothing, and a late confirm leaves it expired.
	if n, _ := st.ExpireDue(context.Background(), now.Add(2*time.Minute), 100); n != 0 {
		t.Fatalf("second sweep expired %d, want 0", n)
	}
	if r, err := st.Confirm(context.Background(), short); err != nil || r.Status != domain.StatusExpired {
		t.Fatalf("confirm of expired = %+v, %v; want it still expired", r, err)
	}
	if got := stockOf(t, pool, lantern); got != 8 {
		t.Fatalf("stock = %d after the late confirm, want 8", got)
	}
}

func TestConfirmAfterDeadlineExpiresOnTheSpot(t *testing.T) {
	st, pool := newStore(t)
	setStock(t, pool, lantern, 10)
	now := time.Now()
	id := uuid.NewString()
	if _, err := st.WithClock(func() time.Time { return now }).Reserve(context.Background(), id, items(lantern, 4), time.Minute); err != nil {
		t.Fatal(err)
	}
	late := st.WithClock(func() time.Time { return now.Add(time.Minute) })
	if r, err := late.Confirm(context.Background(), id); err != nil || r.Status != domain.StatusExpired || len(r.Items) != 1 {
		t.Fatalf("late confirm = %+v, %v; want it expired with its items", r, err)
	}
	if got := stockOf(t, pool, lantern); got != 10 {
		t.Fatalf("stock = %d, want 10 once the late reservation expired", got)
	}
}

func TestConfirmedReservationSurvivesTheSweepAndReleaseReturnsStock(t *testing.T) {
	st, pool := newStore(t)
	setStock(t, pool, lantern, 10)
	id := uuid.NewString()
	if _, err := st.Reserve(context.Background(), id, items(lantern, 3), time.Minute); err != nil {
		t.Fatal(err)
	}
	for range 2 { // confirming twice is harmless
		if r, err := st.Confirm(context.Background(), id); err != nil || r.Status != domain.StatusConfirmed {
			t.Fatalf("confirm = %+v, %v", r, err)
		}
	}
	if n, _ := st.ExpireDue(context.Background(), time.Now().Add(24*time.Hour), 100); n != 0 {
		t.Fatalf("sweep expired %d confirmed reservations", n)
	}
	for range 2 { // releasing twice returns the stock once
		if r, err := st.Release(context.Background(), id); err != nil || r.Status != domain.StatusReleased {
			t.Fatalf("release = %+v, %v", r, err)
		}
	}
	if got := stockOf(t, pool, lantern); got != 10 {
		t.Fatalf("stock = %d, want 10", got)
	}
	if _, err := st.Release(context.Background(), uuid.NewString()); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("release of unknown = %v, want ErrNotFound", err)
	}
	if _, err := st.Confirm(context.Background(), uuid.NewString()); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("confirm of unknown = %v, want ErrNotFound", err)
	}
}
