package bootstrap_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// openDatabase starts a runtime and opens its database at url.
func openDatabase(t *testing.T, url string) (*bootstrap.Runtime, *pgxpool.Pool) {
	t.Helper()
	rt, err := bootstrap.Start(t.Context(), "dbsvc", loadCommon(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	pool, err := rt.OpenDatabase(t.Context(), pg.Config{URL: url, MaxConns: 2, MaxConnLifetime: time.Minute, ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return rt, pool
}

// runBare serves rt with no API of its own, only o's checks and closers.
func runBare(t *testing.T, rt *bootstrap.Runtime, o listeners.Options) *stacktest.Service {
	t.Helper()
	o.RegisterGRPC = func(*grpc.Server) {}
	o.RegisterREST = func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error { return nil }
	return stacktest.Run(t, rt.Name, func(ctx context.Context, l func(listeners.Addrs)) error {
		o.Listening = l
		return rt.Serve(ctx, o)
	})
}

func readyz(t *testing.T, svc *stacktest.Service) (int, map[string]any) {
	t.Helper()
	return stacktest.Call(t, "GET", svc.Admin+"/readyz", "", nil)
}

func TestOpenDatabaseIsCheckedAndClosedByServe(t *testing.T) {
	rt, pool := openDatabase(t, pgtest.NewDatabase(t))
	pingAtServiceClose := errors.New("the service's closer did not run")
	svc := runBare(t, rt, listeners.Options{Closers: []func(context.Context) error{func(ctx context.Context) error {
		pingAtServiceClose = pool.Ping(ctx)
		return nil
	}}})

	if status, body := readyz(t, svc); status != 200 {
		t.Fatalf("readyz: %d %v", status, body)
	}
	resp, err := http.Get(svc.Admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), "\npgxpool_max_conns 2\n") {
		t.Fatalf("pool metrics not registered:\n%s", metrics)
	}

	svc.Stop()
	if pingAtServiceClose != nil {
		t.Fatalf("the pool was closed before the service's own closers ran: %v", pingAtServiceClose)
	}
	if err := pool.Ping(t.Context()); err == nil {
		t.Fatal("the pool is still open after Serve returned")
	}
	if n := pool.Stat().TotalConns(); n != 0 {
		t.Fatalf("%d connections left after Serve returned", n)
	}
}

// The check Serve adds pings the pool: a database that does not answer
// makes the service not ready, naming the database.
func TestOpenDatabaseUnreachableIsNotReady(t *testing.T) {
	// Nothing listens on port 1; the pool only dials when pinged.
	rt, _ := openDatabase(t, "postgres://u:p@127.0.0.1:1/db?sslmode=disable")
	svc := runBare(t, rt, listeners.Options{})
	status, body := readyz(t, svc)
	failed, _ := body["failed"].(map[string]any)
	if msg, _ := failed["database"].(string); status != 503 || len(failed) != 1 || !strings.HasPrefix(msg, "database: ") {
		t.Fatalf("readyz: %d %v, want 503 failing only the database", status, body)
	}
}

// A service that sets its own "database" check keeps it; the pool is
// closed all the same.
func TestOpenDatabaseKeepsTheServicesOwnCheck(t *testing.T) {
	rt, pool := openDatabase(t, pgtest.NewDatabase(t))
	own := map[string]listeners.Check{"database": func(context.Context) error { return errors.New("own check") }}
	svc := runBare(t, rt, listeners.Options{ReadyChecks: own})
	status, body := readyz(t, svc)
	if failed, _ := body["failed"].(map[string]any); status != 503 || len(failed) != 1 || failed["database"] != "own check" {
		t.Fatalf("readyz: %d %v, want only the service's own failing check", status, body)
	}
	svc.Stop()
	if err := pool.Ping(t.Context()); err == nil {
		t.Fatal("the pool is still open after Serve returned")
	}
}
