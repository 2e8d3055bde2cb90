package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
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
	if _, err := st.ChangeStatus(t.Context(), uuid.NewString(), domain.StatusShipped, func(domain.Order) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown order: %v, want ErrNotFound", err)
	}
}

func TestUnconfirmedListsOrdersUntilMarkedConfirmed(t *testing.T) {
	st, _ := newStore(t)
	a := place(t, st, newCheckout("hana"))
	b := place(t, st, newCheckout("hana"))
	later := time.Now().Add(time.Hour)
	got, err := st.Unconfirmed(t.Context(), later, 10)
	if err != nil || len(got) != 2 || got[0].ID != a.ID {
		t.Fatalf("unconfirmed = %v, %v; want both, oldest first", got, err)
	}
	if got, _ := st.Unconfirmed(t.Context(), time.Now().Add(-time.Hour), 10); len(got) != 0 {
		t.Fatalf("orders newer than the cut-off listed: %v", got)
	}
	if err := st.MarkConfirmed(t.Context(), a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Unconfirmed(t.Context(), later, 10); len(got) != 1 || got[0].ID != b.ID {
		t.Fatalf("unconfirmed after marking = %v", got)
	}
}
