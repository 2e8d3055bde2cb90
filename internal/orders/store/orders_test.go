package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
)

func TestListOrdersPagesNewestFirstPerUser(t *testing.T) {
	st, _ := newStore(t)
	var ids []string
	for range 5 {
		ids = append(ids, place(t, st, newCheckout("erin")).ID)
	}
	place(t, st, newCheckout("frank"))
	var seen []string
	var after domain.Cursor
	for {
		orders, more, err := st.ListOrders(t.Context(), "erin", after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orders {
			if len(o.Lines) != 2 {
				t.Fatalf("order %s has %d lines", o.ID, len(o.Lines))
			}
			seen = append(seen, o.ID)
		}
		if !more {
			break
		}
		last := orders[len(orders)-1]
		after = domain.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
		t.Fatalf("pages %v, want %v newest first", seen, ids)
	}
}

func TestChangeStatusLetsCheckDecide(t *testing.T) {
	st, _ := newStore(t)
	o := place(t, st, newCheckout("gina"))
	refused := errors.New("no")
	if _, err := st.ChangeStatus(t.Context(), o.ID, domain.StatusShipped, func(cur domain.Order) error {
		if cur.Status != domain.StatusPaid {
			t.Errorf("check saw %s", cur.Status)
		}
		return refused
	}); !errors.Is(err, refused) {
		t.Fatalf("refused change: %v", err)
	}
	got, err := st.ChangeStatus(t.Context(), o.ID, domain.StatusShipped, func(domain.Order) error { return nil })
	if err != nil || got.Status != domain.StatusShipped {
		t.Fatalf("change = %s, %v", got.Status, err)
	}
	if _, err := st.ChangeStatus(t.Context(), uuid.NewString(), domain.StatusShipped, func(domain.Order) error { return nil }); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown order: %v, want ErrNotFound", err)
	}
}

func TestUnconfirmedPagesThroughOrdersAwaitingConfirmation(t *testing.T) {
	st, _ := newStore(t)
	var orders []domain.Order
	for range 4 {
		orders = append(orders, place(t, st, newCheckout("hana")))
	}
	later := time.Now().Add(time.Hour)
	ids := func(after domain.Cursor, limit int) []string {
		t.Helper()
		got, err := st.Unconfirmed(t.Context(), later, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range got {
			out = append(out, o.ID)
		}
		return out
	}
	if got := ids(domain.Cursor{}, 10); !slices.Equal(got, []string{orders[0].ID, orders[1].ID, orders[2].ID, orders[3].ID}) {
		t.Fatalf("unconfirmed = %v, want all four oldest first", got)
	}
	if got := ids(domain.Cursor{CreatedAt: orders[1].CreatedAt, ID: orders[1].ID}, 1); !slices.Equal(got, []string{orders[2].ID}) {
		t.Fatalf("page after the second = %v, want the third", got)
	}
	if got, _ := st.Unconfirmed(t.Context(), time.Now().Add(-time.Hour), domain.Cursor{}, 10); len(got) != 0 {
		t.Fatalf("orders newer than the cut-off listed: %v", got)
	}

	// Confirmed, cancelled and lost orders leave the list.
	if err := st.MarkConfirmed(t.Context(), orders[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ChangeStatus(t.Context(), orders[1].ID, domain.StatusCancelled, func(domain.Order) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if recorded, err := st.MarkReservationLost(t.Context(), orders[2].ID); !recorded || err != nil {
		t.Fatalf("mark lost = %v, %v", recorded, err)
	}
	if got := ids(domain.Cursor{}, 10); !slices.Equal(got, []string{orders[3].ID}) {
		t.Fatalf("unconfirmed = %v, want only the fourth", got)
	}
	// Recording is once, and never for a confirmed or cancelled order.
	for _, o := range orders[:3] {
		if recorded, err := st.MarkReservationLost(t.Context(), o.ID); recorded || err != nil {
			t.Fatalf("mark lost of %s again = %v, %v; want not recorded", o.ID, recorded, err)
		}
	}
}

func TestCancellingListsCancelsThatDidNotFinish(t *testing.T) {
	st, _ := newStore(t)
	a := place(t, st, newCheckout("ivy"))
	place(t, st, newCheckout("ivy"))
	if _, err := st.ChangeStatus(t.Context(), a.ID, domain.StatusCancelling, func(domain.Order) error { return nil }); err != nil {
		t.Fatal(err)
	}
	got, err := st.Cancelling(t.Context(), time.Now().Add(time.Hour), domain.Cursor{}, 10)
	if err != nil || len(got) != 1 || got[0].ID != a.ID || got[0].Status != domain.StatusCancelling {
		t.Fatalf("cancelling = %v, %v; want the one", got, err)
	}
	if got, _ := st.Cancelling(t.Context(), time.Now().Add(-time.Hour), domain.Cursor{}, 10); len(got) != 0 {
		t.Fatalf("a cancel started after the cut-off listed: %v", got)
	}
	// A cancelling order waits for no confirmation and is not lost.
	if got, _ := st.Unconfirmed(t.Context(), time.Now().Add(time.Hour), domain.Cursor{}, 10); len(got) != 1 || got[0].ID == a.ID {
		t.Fatalf("unconfirmed = %v, want only the other order", got)
	}
	if recorded, err := st.MarkReservationLost(t.Context(), a.ID); recorded || err != nil {
		t.Fatalf("mark lost of a cancelling order = %v, %v", recorded, err)
	}
}
