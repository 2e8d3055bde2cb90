package usecase_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestTheSameKeyConcurrentlyGivesOneOrderAndOneCharge(t *testing.T) {
	s := newShop(t, 6)
	key := uuid.NewString()
	ids := make([]string, 20)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			o, err := s.place(t, "quinn", key, approved)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
			ids[i] = o.ID
		})
	}
	wg.Wait()
	for i, id := range ids {
		if id == "" || id != ids[0] {
			t.Fatalf("request %d got order %q, request 0 %q", i, id, ids[0])
		}
	}
	if n := s.count(t, `SELECT count(*) FROM orders`) + s.count(t, `SELECT count(*) FROM simulated_payments`); n != 2 {
		t.Fatalf("%d orders and charges, want one of each", n)
	}
	if n := s.catalog.callsTo("Reserve"); n != 1 {
		t.Fatalf("%d reservations, want 1", n)
	}
}

// A retry of a request that died mid-checkout does not wait for recovery:
// once the dead one's lease ran out it takes over, undoes that attempt and
// makes its own.
func TestARetryTakesOverTheAttemptOfADeadRequest(t *testing.T) {
	s := newShop(t, 6)
	key := uuid.NewString()
	s.crashAt(t, "after-charge", "rita", key)
	o, err := s.place(t, "rita", key, approved)
	if err != nil || !strings.HasSuffix(o.PaymentKey, "/2") {
		t.Fatalf("retry = %+v, %v; want the second attempt's order", o, err)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'captured'`); n != 1 {
		t.Fatalf("%d captured charges, want 1", n)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'refunded'`); n != 1 {
		t.Fatalf("%d refunds, want the dead attempt's", n)
	}
	if got := s.catalog.stockOf(lantern); got != 98 {
		t.Fatalf("lantern stock %d, want 98 (one order of two)", got)
	}
}

// A request whose claim is taken over midway (as when it stalled past its
// lease) stops, and whatever it did late is undone: one order, one charge.
func TestAnAttemptTakenOverMidwayKeepsNothing(t *testing.T) {
	s := newShop(t, 6)
	reserving, resume := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	s.catalog.set(func(c *catalog) {
		c.gate = func(method string) {
			if method == "Reserve" && calls.Add(1) == 1 {
				close(reserving)
				<-resume
			}
		}
	})
	key := uuid.NewString()
	done := make(chan error, 1)
	var order domain.Order
	go func() {
		var err error
		order, err = s.place(t, "sam", key, approved)
		done <- err
	}()
	<-reserving
	var first string
	// Another claim takes the checkout, and its lease has already run out.
	if err := s.db.QueryRow(t.Context(), `UPDATE checkouts SET lease_owner = gen_random_uuid(), lease_until = now() - interval '1 second'
		RETURNING reservation_id::text`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	if res, err := s.svc.Recover(t.Context()); err != nil || res.Aborted != 1 {
		t.Fatalf("recover = %+v, %v; want the taken-over attempt aborted", res, err)
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatalf("the request: %v", err)
	}
	if !strings.HasSuffix(order.PaymentKey, "/2") {
		t.Fatalf("order from payment key %q, want the second attempt's", order.PaymentKey)
	}
	if got := s.catalog.reservationStatus(first); got != released {
		t.Fatalf("the first attempt's reservation is %s, want released", got)
	}
	if got := s.catalog.stockOf(lantern); got != 98 {
		t.Fatalf("lantern stock %d, want 98", got)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'captured'`); n != 1 {
		t.Fatalf("%d captured charges, want 1", n)
	}
}

// Issue 23 item 7: checkouts waiting on catalog hold no database
// connection, so more of them than the pool has connections can wait at
// once while order history stays readable.
func TestCheckoutsWaitingOnCatalogHoldNoConnections(t *testing.T) {
	const poolSize, checkouts = 6, 12
	s := newShop(t, poolSize)
	if _, err := s.place(t, "reader", uuid.NewString(), approved); err != nil {
		t.Fatal(err)
	}
	var waiting atomic.Int32
	resume := make(chan struct{})
	s.catalog.set(func(c *catalog) {
		c.gate = func(method string) {
			if method == "Reserve" {
				waiting.Add(1)
				<-resume
			}
		}
	})
	var wg sync.WaitGroup
	for i := range checkouts {
		wg.Go(func() {
			if _, err := s.place(t, fmt.Sprintf("buyer-%d", i), uuid.NewString(), approved); err != nil {
				t.Errorf("checkout %d: %v", i, err)
			}
		})
	}
	released := false
	defer func() {
		if !released {
			close(resume)
		}
		wg.Wait()
	}()
	stacktest.Eventually(t, 20*time.Second, fmt.Sprintf("all %d checkouts to wait on catalog", checkouts), func() bool {
		return waiting.Load() == checkouts
	})
	for range 20 {
		if n := s.db.Stat().AcquiredConns(); n >= poolSize {
			t.Fatalf("%d connections held while every checkout waits on catalog", n)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		orders, _, err := s.svc.History(ctx, "reader", domain.Cursor{}, 20)
		cancel()
		if err != nil || len(orders) != 1 {
			t.Fatalf("history while checkouts wait: %d orders, %v", len(orders), err)
		}
	}
	close(resume)
	released = true
	wg.Wait()
	if n := s.count(t, `SELECT count(*) FROM orders`); n != checkouts+1 {
		t.Fatalf("%d orders, want %d", n, checkouts+1)
	}
}

// A burst of checkouts takes turns calling catalog: at most InFlight at once.
func TestCheckoutsTakeTurnsCallingUpstream(t *testing.T) {
	const inFlight, checkouts = 2, 5
	s := newShop(t, 6)
	s.svc.InFlight = inFlight
	var inside, most atomic.Int32
	turn := make(chan struct{})
	s.catalog.set(func(c *catalog) {
		c.gate = func(method string) {
			if method != "Reserve" {
				return
			}
			n := inside.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			<-turn
			inside.Add(-1)
		}
	})
	var wg sync.WaitGroup
	for i := range checkouts {
		wg.Go(func() {
			if _, err := s.place(t, fmt.Sprintf("turn-%d", i), uuid.NewString(), approved); err != nil {
				t.Errorf("checkout %d: %v", i, err)
			}
		})
	}
	// Let them through one by one, each time once the next ones are in.
	for left := checkouts; left > 0; left-- {
		stacktest.Eventually(t, 10*time.Second, "checkouts to reach catalog", func() bool {
			return inside.Load() == int32(min(inFlight, left))
		})
		turn <- struct{}{}
	}
	wg.Wait()
	if got := most.Load(); got != inFlight {
		t.Fatalf("%d checkouts called catalog at once, want %d", got, inFlight)
	}
	if n := s.count(t, `SELECT count(*) FROM orders`); n != checkouts {
		t.Fatalf("%d orders, want %d", n, checkouts)
	}
}
