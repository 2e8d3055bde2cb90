package usecase_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Paging itself is the store's (store.TestListOrdersPagesNewestFirstPerUser).
func TestHistoryHoldsOnlyTheUsersOrders(t *testing.T) {
	s := newShop(t, 6)
	var placed []string
	for _, user := range []string{"olga", "pete", "olga"} {
		o, err := s.place(t, user, uuid.NewString(), approved)
		if err != nil {
			t.Fatal(err)
		}
		placed = append(placed, o.ID)
	}
	orders, more, err := s.svc.History(t.Context(), "olga", domain.Cursor{}, 1)
	if err != nil || !more || len(orders) != 1 || orders[0].ID != placed[2] || len(orders[0].Lines) != 2 {
		t.Fatalf("olga's first page = %v, more %v, %v; want her newest order", orders, more, err)
	}
	last := orders[0]
	orders, more, err = s.svc.History(t.Context(), "olga", domain.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}, 1)
	if err != nil || more || len(orders) != 1 || orders[0].ID != placed[0] {
		t.Fatalf("olga's second page = %v, more %v, %v; want her first order, and no more", orders, more, err)
	}
	if _, err := s.svc.Order(t.Context(), uuid.NewString()); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("unknown order: %v, want NotFound", err)
	}
}
