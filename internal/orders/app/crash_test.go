package app_test

import (
	"errors"
	"os/exec"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// startOrdersProcess runs the real orders binary with the shop's
// configuration plus extra settings.
func (s *shop) startOrdersProcess(t *testing.T, bin string, extra map[string]string) *stacktest.Process {
	t.Helper()
	return stacktest.StartProcess(t, bin, stacktest.Env(s.ordersDBURL, s.ordersEnv, extra))
}

// A crash of orders between reserving stock and committing the order must
// not leak stock or money: after a restart, recovery releases the
// reservation (and refunds any charge), and a retry with the same key then
// completes the order exactly once.
func TestCrashBetweenReservationAndCommitNeverLeaksStock(t *testing.T) {
	bin := stacktest.Build(t, "cmd/orders")
	for _, point := range []string{"after-reserve", "after-charge"} {
		t.Run(point, func(t *testing.T) {
			s := startUpstreams(t, nil)
			c := s.customer(t, "crash-"+point)
			s.addToCart(t, c, lantern, 4)
			before := s.stock(t, lantern)
			key := uuid.NewString()

			crashing := s.startOrdersProcess(t, bin, map[string]string{"ORDERS_FAILPOINT": point})
			req := c.header.With("Idempotency-Key", key)
			if _, err := tryPost(t, "http://"+crashing.HTTP+"/v1/orders", validCard, req); err == nil {
				t.Fatal("the request should have died with the process")
			}
			err, exited := crashing.Wait(10 * time.Second)
			if !exited {
				t.Fatal("orders did not crash at the failpoint")
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("orders exited with %v, want killed", err)
			}
			if got := s.stock(t, lantern); got != before-4 {
				t.Fatalf("stock %d right after the crash, want %d (held by the reservation)", got, before-4)
			}

			// Restarted without the failpoint, recovery undoes the attempt.
			restarted := s.startOrdersProcess(t, bin, nil)
			stacktest.Eventually(t, 20*time.Second, "recovery to release the stock", func() bool {
				return s.stock(t, lantern) == before && s.count(t, `SELECT count(*) FROM checkouts WHERE status = 'aborted'`) == 1
			})
			if n := s.count(t, `SELECT count(*) FROM orders`); n != 0 {
				t.Fatalf("%d orders after recovery, want 0", n)
			}
			if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'captured'`); n != 0 {
				t.Fatalf("%d charges kept after recovery, want 0", n)
			}

			// The client retries with the same key: one order, one kept charge.
			status, order := stacktest.Call(t, "POST", "http://"+restarted.HTTP+"/v1/orders", validCard, req)
			if status != 201 || order["status"] != "ORDER_STATUS_PAID" {
				t.Fatalf("retry after recovery: %d %v", status, order)
			}
			if got := s.stock(t, lantern); got != before-4 {
				t.Fatalf("stock %d after the order, want %d", got, before-4)
			}
			if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'captured'`); n != 1 {
				t.Fatalf("%d captured charges, want 1", n)
			}
		})
	}
}

func tryPost(t *testing.T, url, body string, h stacktest.Header) (int, error) {
	t.Helper()
	req, err := newRequest("POST", url, body, h)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
