package usecase_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
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

// A cancel is recorded before the refund and the release: one that stops
// halfway leaves the order cancelling, never shippable, and a repeated
// cancel finishes it.
func TestACancelStoppedHalfwayIsFinishedByRepeatingIt(t *testing.T) {
	s := newShop(t, 6)
	o, err := s.place(t, "mia", uuid.NewString(), approved)
	if err != nil {
		t.Fatal(err)
	}
	s.catalog.set(func(c *catalog) { c.down = true })
	if _, err := s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusCancelled); !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("cancel while catalog is down: %v, want Unavailable", err)
	}
	if got, _ := s.svc.Order(t.Context(), o.ID); got.Status != domain.StatusCancelling {
		t.Fatalf("status %s after a cancel stopped halfway, want cancelling", got.Status)
	}
	_, err = s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusShipped)
	wantField(t, err, apperr.KindFailedPrecondition, "status")
	s.catalog.set(func(c *catalog) { c.down = false })
	if got, err := s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusCancelled); err != nil || got.Status != domain.StatusCancelled {
		t.Fatalf("repeated cancel = %s, %v", got.Status, err)
	}
	if s.catalog.stockOf(lantern) != 100 {
		t.Fatal("the repeated cancel did not restock")
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'refunded'`); n != 1 {
		t.Fatalf("%d refunds, want 1", n)
	}
}

// Nobody repeats it: recovery finishes the cancel.
func TestRecoveryFinishesACancelStoppedHalfway(t *testing.T) {
	s := newShop(t, 6)
	orders := s.placeUnconfirmed(t, "nora", 1) // unconfirmed, too: recovery must not confirm it
	o := orders[0]
	s.catalog.set(func(c *catalog) {
		c.fault = func(method, _ string) error {
			if method == "Release" {
				return apperr.Unavailable(nil)
			}
			return nil
		}
	})
	if _, err := s.svc.ChangeStatus(t.Context(), o.ID, domain.StatusCancelled); !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("cancel while catalog refuses releases: %v, want Unavailable", err)
	}
	s.catalog.set(func(c *catalog) { c.fault = nil })
	s.later(time.Minute)
	res, err := s.svc.Recover(t.Context())
	if err != nil || res != (usecase.RecoveryResult{Cancelled: 1}) {
		t.Fatalf("recover = %+v, %v; want the cancel finished and nothing else", res, err)
	}
	if got, _ := s.svc.Order(t.Context(), o.ID); got.Status != domain.StatusCancelled {
		t.Fatalf("status %s, want cancelled", got.Status)
	}
	if s.catalog.stockOf(lantern) != 100 || s.catalog.reservationStatus(o.ReservationID) != released {
		t.Fatal("recovery did not restock")
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'refunded'`); n != 1 {
		t.Fatalf("%d refunds, want 1", n)
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
