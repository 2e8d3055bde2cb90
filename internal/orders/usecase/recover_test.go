package usecase_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
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

// recoverUntil runs recovery passes, adding up what they did, until done
// says enough (a crashed attempt's lease has to run out first).
func (s *shop) recoverUntil(t *testing.T, what string, done func(usecase.RecoveryResult) bool) {
	t.Helper()
	var total usecase.RecoveryResult
	stacktest.Eventually(t, 10*time.Second, what, func() bool {
		res, err := s.svc.Recover(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		total.Aborted += res.Aborted
		total.Confirmed += res.Confirmed
		total.Lost += res.Lost
		total.Failed += res.Failed
		return done(total)
	})
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
			if res, err := s.svc.Recover(t.Context()); err != nil || res.Aborted != 0 {
				t.Fatalf("recover within the lease = %+v, %v; want nothing undone yet", res, err)
			}
			s.recoverUntil(t, "recovery to undo the crashed attempt", func(r usecase.RecoveryResult) bool { return r.Aborted == 1 })
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

// A live checkout renews its lease: recovery leaves it alone however long
// catalog keeps it waiting.
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
	for start := time.Now(); time.Since(start) < 3*s.svc.Lease; {
		if res, err := s.svc.Recover(t.Context()); err != nil || res.Aborted != 0 {
			close(resume)
			t.Fatalf("recover during a live checkout = %+v, %v; want nothing aborted", res, err)
		}
	}
	close(resume)
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
	res, err := s.svc.Recover(t.Context())
	if err != nil || res.Confirmed != 1 || s.catalog.reservationStatus(o.ReservationID) != confirmed {
		t.Fatalf("recover = %+v, %v; reservation %s", res, err, s.catalog.reservationStatus(o.ReservationID))
	}
	if n := s.count(t, `SELECT count(*) FROM orders WHERE NOT reservation_confirmed`); n != 0 {
		t.Fatalf("%d orders still unconfirmed", n)
	}
}

// placeUnconfirmed places n orders whose confirmation right after commit
// fails (catalog refuses Confirm at that moment), oldest first.
func (s *shop) placeUnconfirmed(t *testing.T, user string, n int) []domain.Order {
	t.Helper()
	s.catalog.set(func(c *catalog) {
		c.fault = func(method, _ string) error {
			if method == "Confirm" {
				return apperr.Unavailable(nil)
			}
			return nil
		}
	})
	defer s.catalog.set(func(c *catalog) { c.fault = nil })
	var orders []domain.Order
	for range n {
		o, err := s.place(t, user, uuid.NewString(), approved)
		if err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}
	return orders
}

// Issue 23 item 3: one order whose reservation is gone must not keep the
// orders behind it from being confirmed (their reservations would expire
// and their stock be sold again).
func TestOnePoisonedOrderDoesNotHoldUpTheOthers(t *testing.T) {
	s := newShop(t, 6)
	reg := prometheus.NewRegistry()
	s.svc.Metrics = usecase.NewMetrics(reg)
	orders := s.placeUnconfirmed(t, "lena", 5)
	expiredOrder, cancelled, flaky, paid := orders[0], orders[1], orders[2], orders[3:]
	// The oldest one's reservation expired during a catalog outage.
	s.catalog.expire(expiredOrder.ReservationID)
	// One was cancelled after its confirmation had failed.
	if _, err := s.svc.ChangeStatus(t.Context(), cancelled.ID, domain.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	// And catalog cannot answer for one right now.
	s.catalog.set(func(c *catalog) {
		c.fault = func(_, id string) error {
			if id == flaky.ReservationID {
				return apperr.Unavailable(nil)
			}
			return nil
		}
	})
	s.later(time.Minute)

	res, err := s.svc.Recover(t.Context())
	if err != nil || res.Confirmed != 2 || res.Lost != 1 || res.Failed != 1 {
		t.Fatalf("recover = %+v, %v; want 2 confirmed, 1 lost, 1 failed", res, err)
	}
	for _, o := range paid {
		if got := s.catalog.reservationStatus(o.ReservationID); got != confirmed {
			t.Fatalf("order %s's reservation is %s, want confirmed", o.ID, got)
		}
	}
	if n := s.count(t, `SELECT count(*) FROM orders WHERE reservation_lost_at IS NOT NULL AND id = $1`, expiredOrder.ID); n != 1 {
		t.Fatal("the order without its reservation was not recorded")
	}
	if got := metric(t, reg, usecase.MetricReservationsLost); got != 1 {
		t.Fatalf("%s = %v, want 1", usecase.MetricReservationsLost, got)
	}
	if got := metric(t, reg, usecase.MetricAwaitingConfirmation); got != 1 {
		t.Fatalf("%s = %v, want 1 (the one catalog could not answer for)", usecase.MetricAwaitingConfirmation, got)
	}

	// The next pass retries only the one that failed; the lost one stays
	// recorded once.
	s.catalog.set(func(c *catalog) { c.fault = nil })
	res, err = s.svc.Recover(t.Context())
	if err != nil || res != (usecase.RecoveryResult{Confirmed: 1}) {
		t.Fatalf("second pass = %+v, %v; want only the flaky one confirmed", res, err)
	}
	if metric(t, reg, usecase.MetricReservationsLost) != 1 || metric(t, reg, usecase.MetricAwaitingConfirmation) != 0 {
		t.Fatal("metrics after the second pass")
	}
}

// The same for interrupted checkouts: one that cannot be undone now is left
// for the next pass, and the others are undone.
func TestACheckoutThatCannotBeUndoneDoesNotHoldUpTheOthers(t *testing.T) {
	s := newShop(t, 6)
	s.crashAt(t, "after-charge", "mona", uuid.NewString())
	s.crashAt(t, "after-charge", "mona", uuid.NewString())
	var stuck string
	if err := s.db.QueryRow(t.Context(), `SELECT reservation_id::text FROM checkouts ORDER BY updated_at LIMIT 1`).Scan(&stuck); err != nil {
		t.Fatal(err)
	}
	s.catalog.set(func(c *catalog) {
		c.fault = func(method, id string) error {
			if method == "Release" && id == stuck {
				return apperr.Unavailable(nil)
			}
			return nil
		}
	})
	s.recoverUntil(t, "a pass to undo one and fail the other", func(r usecase.RecoveryResult) bool {
		if r.Aborted+r.Failed > 2 || r.Aborted > 1 {
			t.Fatalf("recovery = %+v, want one aborted and one failed", r)
		}
		return r.Aborted == 1 && r.Failed == 1
	})
	s.catalog.set(func(c *catalog) { c.fault = nil })
	s.recoverUntil(t, "a later pass to undo the stuck one", func(r usecase.RecoveryResult) bool { return r.Aborted == 1 })
	if s.catalog.stockOf(lantern) != 100 || s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'captured'`) != 0 {
		t.Fatal("stock or money kept after both were undone")
	}
}
