package pg_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/freeport"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func config(url string) pg.Config {
	return pg.Config{URL: url, MaxConns: 2, MaxConnLifetime: time.Minute, ConnectTimeout: time.Second}
}

func TestOpenHidesPasswordOnParseError(t *testing.T) {
	pool, err := pg.Open(context.Background(), config("postgres://u:s3cret@host:notaport/db"))
	if err == nil {
		pool.Close()
		t.Fatal("unparsable URL accepted")
	}
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("error %q must name DATABASE_URL and not the password", err)
	}
}

// TestOpenRefusesPoolSizesOutOfRange: a size that would wrap around in
// pgx's int32 or make no sense is an error naming the setting.
func TestOpenRefusesPoolSizesOutOfRange(t *testing.T) {
	for _, tc := range []struct {
		max, min int
		setting  string
	}{{0, 0, "DATABASE_MAX_CONNS"}, {1 << 32, 0, "DATABASE_MAX_CONNS"}, {4, -1, "DATABASE_MIN_CONNS"}, {4, 5, "DATABASE_MIN_CONNS"}} {
		cfg := config("postgres://u:p@127.0.0.1:1/db")
		cfg.MaxConns, cfg.MinConns = tc.max, tc.min
		pool, err := pg.Open(context.Background(), cfg)
		if err == nil {
			pool.Close()
			t.Errorf("max %d, min %d accepted", tc.max, tc.min)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.setting+": ") {
			t.Errorf("max %d, min %d: error %q does not name %s", tc.max, tc.min, err, tc.setting)
		}
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	addr, err := freeport.Addr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestOpenDoesNotConnectAndPingFails(t *testing.T) {
	cfg := config(fmt.Sprintf("postgres://u:p@%s/db?sslmode=disable", closedPort(t)))
	pool, err := pg.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open must not need the database: %v", err)
	}
	defer pool.Close()
	if got := pool.Config().MaxConns; got != 2 {
		t.Fatalf("MaxConns %d", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err = pg.Ping(pool)(ctx)
	if err == nil || !strings.HasPrefix(err.Error(), "database: ") || errors.Unwrap(err) == nil {
		t.Fatalf("got %v, want an error wrapping the cause under \"database: \"", err)
	}
	if !apperr.Is(pg.Classify(err), apperr.KindUnavailable) {
		t.Fatalf("a refused connection classifies as %v, want Unavailable", pg.Classify(err))
	}
}

func TestPingReachableDatabase(t *testing.T) {
	pool, err := pg.Open(t.Context(), config(pgtest.NewDatabase(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := pg.Ping(pool)(t.Context()); err != nil {
		t.Fatal(err)
	}
}
