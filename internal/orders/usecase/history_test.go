package usecase_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestHistoryPagesThroughOnlyTheUsersOrders(t *testing.T) {
	s := newShop(t, 6)
	var placed []string
	for range 3 {
		o, err := s.place(t, "olga", uuid.NewString(), approved)
		if err != nil {
			t.Fatal(err)
		}
		placed = append(placed, o.ID)
	}
	if _, err := s.place(t, "pete", uuid.NewString(), approved); err != nil {
		t.Fatal(err)
	}
	var seen []string
	var after domain.Cursor
	for page := 0; ; page++ {
		orders, more, err := s.svc.History(t.Context(), "olga", after, 2)
		if err != nil || page > 1 {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, o := range orders {
			if o.UserID != "olga" || len(o.Lines) != 2 {
				t.Fatalf("order %+v in olga's history", o)
			}
			seen = append(seen, o.ID)
		}
		if !more {
			break
		}
		last := orders[len(orders)-1]
		after = domain.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	if len(seen) != 3 || seen[0] != placed[2] || seen[2] != placed[0] {
		t.Fatalf("history %v, want %v newest first", seen, placed)
	}
	if _, err := s.svc.Order(t.Context(), uuid.NewString()); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("unknown order: %v, want NotFound", err)
	}
}
