package usecase_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestCancelRefundsAndRestocks(t *testing.T) {
	s := newShop(t, 6)
	o, err := s.place(t, "liam", uuid.NewString(), approved)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusCancelled)
	if err != nil || got.Status != domain.StatusCancelled {
		t.Fatalf("cancel = %s, %v", got.Status, err)
	}
	if s.catalog.stockOf(lantern) != 100 || s.catalog.reservationStatus(o.ReservationID) != released {
		t.Fatal("cancelling did not restock")
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'refunded'`); n != 1 {
		t.Fatalf("%d refunds, want 1", n)
	}
	_, err = s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusShipped)
	wantField(t, err, apperr.KindFailedPrecondition, "status")
}

func TestAFailedCancelChangesNothingAndCanBeRepeated(t *testing.T) {
	s := newShop(t, 6)
	o, err := s.place(t, "mia", uuid.NewString(), approved)
	if err != nil {
		t.Fatal(err)
	}
	s.catalog.set(func(c *catalog) { c.down = true })
	if _, err := s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusCancelled); !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("cancel while catalog is down: %v, want Unavailable", err)
	}
	s.catalog.set(func(c *catalog) { c.down = false })
	if got, err := s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusCancelled); err != nil || got.Status != domain.StatusCancelled {
		t.Fatalf("repeated cancel = %s, %v", got.Status, err)
	}
	if s.catalog.stockOf(lantern) != 100 {
		t.Fatal("the repeated cancel did not restock")
	}
}

func TestStatusChangesFollowTheOrdersLife(t *testing.T) {
	s := newShop(t, 6)
	o, err := s.place(t, "noah", uuid.NewString(), approved)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []domain.Status{domain.StatusShipped, domain.StatusDelivered} {
		if got, err := s.svc.ChangeStatus(t.Context(), o.ID, to); err != nil || got.Status != to {
			t.Fatalf("-> %s: %s, %v", to, got.Status, err)
		}
	}
	_, err = s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusCancelled)
	wantField(t, err, apperr.KindFailedPrecondition, "status")
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'refunded'`); n != 0 {
		t.Fatal("a refused cancel refunded")
	}
	if _, err := s.svc.ChangeStatus(t.Context(), uuid.NewString(), domain.StatusShipped); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("unknown order: %v, want NotFound", err)
	}
}
