package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	"github.com/shipshape-dev/shipshape/internal/cart/app"
	"github.com/shipshape-dev/shipshape/internal/cart/carttest"
	catalogapp "github.com/shipshape-dev/shipshape/internal/catalog/app"
	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/platform/server"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var (
	cartDB    = carttest.Migrated()
	catalogDB = catalogtest.Seeded()

	// Demo products (seed.Products): price in euro cents and stock.
	lantern = seed.ID("product", "storm-lantern")    // 3290, 28
	torch   = seed.ID("product", "waterproof-torch") // 2590, 48
	jacket  = seed.ID("product", "offshore-jacket")  // 32900, 8
)

// system is a real catalog and a real cart on loopback listeners, both
// accepting the tokens of one test issuer.
type system struct {
	iss          *authtest.Issuer
	rest, admin  string // cart's base URLs
	cart         cartv1.CartServiceClient
	cartDBURL    string
	catalogDBURL string
	stopCatalog  func()
}

// vars is the shared test configuration plus the issuer's and overrides.
func vars(iss *authtest.Issuer, maps ...map[string]string) func(string) (string, bool) {
	v := map[string]string{
		"HTTP_ADDR": "127.0.0.1:0", "GRPC_ADDR": "127.0.0.1:0", "ADMIN_ADDR": "127.0.0.1:0",
		"SHUTDOWN_DRAIN_DELAY": "0s", "HEALTH_INTERVAL": "100ms", "LOG_LEVEL": "error",
	}
	for _, m := range append([]map[string]string{iss.Env()}, maps...) {
		for k, x := range m {
			v[k] = x
		}
	}
	return func(k string) (string, bool) { x, ok := v[k]; return x, ok }
}

// run starts a service in-process and returns its addresses and an
// idempotent stop, also registered for cleanup, which checks that the
// service shut down cleanly.
func run(t *testing.T, name string, serve func(context.Context, func(server.Addrs)) error) (server.Addrs, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan server.Addrs, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, func(a server.Addrs) { addrs <- a }) }()
	var a server.Addrs
	select {
	case a = <-addrs:
	case err := <-done:
		cancel()
		t.Fatalf("%s did not start: %v", name, err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("%s did not start within 30s", name)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s shutdown: %v", name, err)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("%s did not stop within 30s", name)
			}
		})
	}
	t.Cleanup(stop)
	return a, stop
}

// start runs catalog (fresh seeded database, no product cache, so stock
// changed behind its back shows at once) and cart (fresh database) against it.
func start(t *testing.T, cartOverrides map[string]string) *system {
	t.Helper()
	s := &system{iss: authtest.NewIssuer(t), catalogDBURL: catalogDB.NewDatabase(t), cartDBURL: cartDB.NewDatabase(t)}

	var ccfg catalogapp.Config
	if err := config.LoadFrom(vars(s.iss, map[string]string{"DATABASE_URL": s.catalogDBURL, "PRODUCT_CACHE_TTL": "0s"}), &ccfg); err != nil {
		t.Fatal(err)
	}
	catalogAddrs, stopCatalog := run(t, "catalog", func(ctx context.Context, l func(server.Addrs)) error {
		return catalogapp.Serve(ctx, ccfg, l)
	})
	s.stopCatalog = stopCatalog

	var cfg app.Config
	overrides := map[string]string{"DATABASE_URL": s.cartDBURL, "CATALOG_GRPC_TARGET": catalogAddrs.GRPC}
	if err := config.LoadFrom(vars(s.iss, overrides, cartOverrides), &cfg); err != nil {
		t.Fatal(err)
	}
	a, _ := run(t, "cart", func(ctx context.Context, l func(server.Addrs)) error { return app.Serve(ctx, cfg, l) })
	conn, err := grpc.NewClient(a.GRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	s.rest, s.admin, s.cart = "http://"+a.HTTP, "http://"+a.Admin, cartv1.NewCartServiceClient(conn)
	return s
}

// token returns an access token for a customer.
func (s *system) token(t *testing.T, user string) string { return s.iss.Token(t, user, "customer") }

// as returns a context carrying user's token for gRPC calls.
func (s *system) as(t *testing.T, user string) context.Context {
	return metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer "+s.token(t, user))
}

// call sends a REST request to cart with an optional bearer token and
// decodes the JSON response.
func (s *system) call(t *testing.T, method, path, body, token string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.rest+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %q", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// connect opens a connection closed when the test ends.
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// exec runs one statement on a database (e.g. catalog's, behind its back).
func exec(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	if _, err := connect(t, url).Exec(t.Context(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func (s *system) setStock(t *testing.T, product string, stock int) {
	exec(t, s.catalogDBURL, `UPDATE products SET stock = $2 WHERE id = $1`, product, stock)
}

// stored reads a user's cart straight from cart's database: version and
// product -> quantity.
func (s *system) stored(t *testing.T, user string) (int64, map[string]int32) {
	t.Helper()
	conn := connect(t, s.cartDBURL)
	var version int64
	if err := conn.QueryRow(t.Context(), `SELECT coalesce((SELECT version FROM carts WHERE user_id = $1), 0)`, user).Scan(&version); err != nil {
		t.Fatal(err)
	}
	rows, _ := conn.Query(t.Context(), `SELECT product_id::text, quantity FROM cart_items WHERE user_id = $1`, user)
	lines := map[string]int32{}
	var id string
	var q int32
	if _, err := pgx.ForEachRow(rows, []any{&id, &q}, func() error { lines[id] = q; return nil }); err != nil {
		t.Fatal(err)
	}
	return version, lines
}

// probe returns the status of a GET, or 0 when nothing answers.
func probe(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// fieldNamed reports whether a REST error body names field.
func fieldNamed(body map[string]any, field string) bool {
	fields, _ := body["fields"].([]any)
	for _, f := range fields {
		if m, _ := f.(map[string]any); m["field"] == field {
			return true
		}
	}
	return false
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
