package usecase_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
)

// crashed is what a failpoint panics with: the request stops dead there,
// as when the process is killed.
type crashed struct{}

// crashAt runs a checkout that dies at the failpoint.
func (s *shop) crashAt(t *testing.T, point, user, key string) {
	t.Helper()
	s.svc.Failpoint = func(name string) {
		if name == point {
			panic(crashed{})
		}
	}
	defer func() {
		s.svc.Failpoint = nil
		if r := recover(); r != (crashed{}) {
			t.Fatalf("checkout did not stop at %s: %v", point, r)
		}
	}()
	_, _ = s.place(t, user, key, approved)
}

// later makes the service's clock run ahead, past every grace period.
func (s *shop) later(d time.Duration) {
	s.svc.Now = func() time.Time { return time.Now().Add(d) }
}

func TestRecoveryUndoesACrashedCheckoutAndTheKeyThenCompletes(t *testing.T) {
	for _, point := range []string{"after-reserve", "after-charge"} {
		t.Run(point, func(t *testing.T) {
			s := newShop(t, 6)
			key := uuid.NewString()
			s.crashAt(t, point, "ivan", key)
			if s.catalog.stockOf(lantern) != 98 {
				t.Fatal("the crashed attempt should still hold its stock")
			}
			res, err := s.svc.Recover(t.Context(), 0)
			if err != nil || res.Aborted != 1 {
				t.Fatalf("recover = %+v, %v; want 1 aborted", res, err)
			}
			if s.catalog.stockOf(lantern) != 100 {
				t.Fatal("recovery did not release the stock")
			}
			if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'captured'`); n != 0 {
				t.Fatalf("%d charges kept after recovery", n)
			}
			o, err := s.place(t, "ivan", key, approved)
			if err != nil || o.Status != domain.StatusPaid {
				t.Fatalf("retry after recovery: %+v, %v", o, err)
			}
			if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'captured'`); n != 1 {
				t.Fatalf("%d captured charges, want 1", n)
			}
		})
	}
}

func TestRecoveryLeavesALiveCheckoutAlone(t *testing.T) {
	s := newShop(t, 6)
	reserving, resume := make(chan struct{}), make(chan struct{})
	s.catalog.set(func(c *catalog) {
		c.gate = func(method string) {
			if method == "Reserve" {
				close(reserving)
				<-resume
			}
		}
	})
	done := make(chan error, 1)
	go func() {
		_, err := s.place(t, "judy", uuid.NewString(), approved)
		done <- err
	}()
	<-reserving
	res, err := s.svc.Recover(t.Context(), 0)
	close(resume)
	if err != nil || res.Aborted != 0 {
		t.Fatalf("recover during a live checkout = %+v, %v; want nothing aborted", res, err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the live checkout: %v", err)
	}
}

func TestRecoveryConfirmsReservationsOfPaidOrders(t *testing.T) {
	s := newShop(t, 6)
	s.catalog.set(func(c *catalog) {
		c.gate = func(method string) {
			if method == "Confirm" {
				c.set(func(c *catalog) { c.down = true })
			}
		}
	})
	o, err := s.place(t, "kate", uuid.NewString(), approved)
	if err != nil {
		t.Fatal(err)
	}
	if s.catalog.reservationStatus(o.ReservationID) != held {
		t.Fatal("the confirmation should have failed")
	}
	s.catalog.set(func(c *catalog) { c.gate, c.down = nil, false })
	s.later(time.Minute)
	res, err := s.svc.Recover(t.Context(), time.Minute)
	if err != nil || res.Confirmed != 1 || s.catalog.reservationStatus(o.ReservationID) != confirmed {
		t.Fatalf("recover = %+v, %v; reservation %s", res, err, s.catalog.reservationStatus(o.ReservationID))
	}
	if n := s.count(t, `SELECT count(*) FROM orders WHERE NOT reservation_confirmed`); n != 0 {
		t.Fatalf("%d orders still unconfirmed", n)
	}
}
