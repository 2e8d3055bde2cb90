package app_test

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// ordersProcess runs the real orders binary with the shop's configuration.
type ordersProcess struct {
	cmd    *exec.Cmd
	rest   string
	admin  string
	exited chan error
}

func buildOrders(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "orders")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/shipshape-dev/shipshape/cmd/orders").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

func (s *shop) startOrdersProcess(t *testing.T, bin string, extra map[string]string) *ordersProcess {
	t.Helper()
	p := &ordersProcess{rest: freeAddr(t), admin: freeAddr(t), exited: make(chan error, 1)}
	env := stacktest.Env(s.ordersDBURL, s.ordersEnv, map[string]string{"HTTP_ADDR": p.rest, "GRPC_ADDR": freeAddr(t), "ADMIN_ADDR": p.admin}, extra)
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = os.Environ()
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stderr = os.Stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
		p.exited <- nil
	})
	stacktest.Eventually(t, 30*time.Second, "orders ready", func() bool { return stacktest.Probe("http://"+p.admin+"/readyz") == 200 })
	return p
}

// A crash of orders between reserving stock and committing the order must
// not leak stock or money: after a restart, recovery releases the
// reservation (and refunds any charge), and a retry with the same key then
// completes the order exactly once.
func TestCrashBetweenReservationAndCommitNeverLeaksStock(t *testing.T) {
	bin := buildOrders(t)
	for _, point := range []string{"after-reserve", "after-charge"} {
		t.Run(point, func(t *testing.T) {
			s := startUpstreams(t, nil)
			c := s.customer(t, "crash-"+point)
			s.addToCart(t, c, lantern, 4)
			before := s.stock(t, lantern)
			key := uuid.NewString()

			crashing := s.startOrdersProcess(t, bin, map[string]string{"ORDERS_FAILPOINT": point})
			req := c.header.With("Idempotency-Key", key)
			if _, err := tryPost(t, "http://"+crashing.rest+"/v1/orders", validCard, req); err == nil {
				t.Fatal("the request should have died with the process")
			}
			select {
			case err := <-crashing.exited:
				var exit *exec.ExitError
				if !errors.As(err, &exit) {
					t.Fatalf("orders exited with %v, want killed", err)
				}
				crashing.exited <- err
			case <-time.After(10 * time.Second):
				t.Fatal("orders did not crash at the failpoint")
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
			status, order := stacktest.Call(t, "POST", "http://"+restarted.rest+"/v1/orders", validCard, req)
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
