package app_test

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// buildCatalog compiles the real binary once per test run.
func buildCatalog(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "catalog")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/shipshape-dev/shipshape/cmd/catalog").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// process is a catalog binary running as its own process.
type process struct {
	cmd               *exec.Cmd
	rest, grpc, admin string
	exited            chan error
}

func startProcess(t testing.TB, bin, dbURL string, extra ...string) *process {
	t.Helper()
	p := &process{rest: "127.0.0.1:" + freePort(t), grpc: "127.0.0.1:" + freePort(t), admin: "127.0.0.1:" + freePort(t), exited: make(chan error, 1)}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "HTTP_ADDR="+p.rest, "GRPC_ADDR="+p.grpc,
		"ADMIN_ADDR="+p.admin, "LOG_LEVEL=warn")
	p.cmd.Env = append(p.cmd.Env, extra...)
	p.cmd.Stderr = os.Stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() { // never leave it running, also when the test failed
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	stacktest.Eventually(t, 30*time.Second, "catalog ready", func() bool {
		return stacktest.Probe("http://"+p.admin+"/readyz") == 200
	})
	return p
}

// SIGTERM while a request is in flight: readiness turns false first, the
// request still completes, and the process exits 0 within its deadline.
func TestShutdownDrainsInFlightRequestsAndExitsZero(t *testing.T) {
	bin := buildCatalog(t)
	dbURL := seeded.NewDatabase(t)
	p := startProcess(t, bin, dbURL, "SHUTDOWN_DRAIN_DELAY=1s", "SHUTDOWN_TIMEOUT=10s")

	// Hold the product's row lock so the reservation stays in flight.
	ctx := context.Background()
	db, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT 1 FROM products WHERE id = $1 FOR UPDATE`, lantern); err != nil {
		t.Fatal(err)
	}

	conn, err := grpc.NewClient(p.grpc, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	inFlight := make(chan error, 1)
	go func() {
		_, err := catalogv1.NewCatalogServiceClient(conn).ReserveStock(ctx, &catalogv1.ReserveStockRequest{
			ReservationId: uuid.NewString(), Items: []*catalogv1.StockItem{{ProductId: lantern, Quantity: 1}}})
		inFlight <- err
	}()
	stacktest.Eventually(t, 10*time.Second, "the reservation waiting on the row lock", func() bool {
		var waiting int
		_ = db.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting)
		return waiting == 1
	})

	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stacktest.Eventually(t, 5*time.Second, "readyz 503 after SIGTERM", func() bool {
		return stacktest.Probe("http://"+p.admin+"/readyz") == 503
	})
	select {
	case err := <-inFlight:
		t.Fatalf("the in-flight request finished before it was released: %v", err)
	default:
	}

	if err := tx.Commit(ctx); err != nil { // release the lock: the request can finish
		t.Fatal(err)
	}
	select {
	case err := <-inFlight:
		if err != nil {
			t.Fatalf("in-flight request failed during shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("in-flight request did not complete")
	}
	select {
	case err := <-p.exited:
		var exit *exec.ExitError
		if errors.As(err, &exit) || err != nil {
			t.Fatalf("process exited with %v, want 0", err)
		}
		if took := time.Since(sent); took > 11*time.Second {
			t.Fatalf("exit took %s, beyond drain 1s + timeout 10s", took)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("process did not exit")
	}
	p.exited <- nil // for the cleanup
}
