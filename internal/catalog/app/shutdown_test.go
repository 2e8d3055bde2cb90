package app_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// SIGTERM while a request is in flight: readiness turns false first, the
// request still completes, and the process exits 0 within its deadline.
func TestShutdownDrainsInFlightRequestsAndExitsZero(t *testing.T) {
	bin := stacktest.Build(t, "cmd/catalog")
	dbURL := seeded.NewDatabase(t)
	identity := identitytest.Start(t, "orders")
	p := stacktest.StartProcess(t, bin, stacktest.Env(dbURL, identity.Env(), map[string]string{"LOG_LEVEL": "warn",
		"SHUTDOWN_DRAIN_DELAY": "1s", "SHUTDOWN_TIMEOUT": "10s"}))

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

	conn := dialAs(t, identity, "orders", p.GRPC)
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
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stacktest.Eventually(t, 5*time.Second, "readyz 503 after SIGTERM", func() bool {
		return stacktest.Probe("http://"+p.Admin+"/readyz") == 503
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
	err, exited := p.Wait(15 * time.Second)
	if !exited {
		t.Fatal("process did not exit")
	}
	if err != nil {
		t.Fatalf("process exited with %v, want 0", err)
	}
	if took := time.Since(sent); took > 11*time.Second {
		t.Fatalf("exit took %s, beyond drain 1s + timeout 10s", took)
	}
}
