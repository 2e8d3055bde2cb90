package app_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/metadata"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	"github.com/shipshape-dev/shipshape/internal/cart/app"
	"github.com/shipshape-dev/shipshape/internal/cart/store/migrations"
	catalogapp "github.com/shipshape-dev/shipshape/internal/catalog/app"
	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var (
	cartDB    = pgtest.Migrated("cart", migrations.FS)
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

// start runs catalog (fresh seeded database, no product cache, so stock
// changed behind its back shows at once) and cart (fresh database) against it.
func start(t *testing.T, cartOverrides map[string]string) *system {
	t.Helper()
	s := &system{iss: authtest.NewIssuer(t), catalogDBURL: catalogDB.NewDatabase(t), cartDBURL: cartDB.NewDatabase(t)}
	auth := s.iss.Env()

	ccfg := stacktest.Load[catalogapp.Config](t, stacktest.Env(s.catalogDBURL, auth, map[string]string{"PRODUCT_CACHE_TTL": "0s"}))
	catalog := stacktest.Run(t, "catalog", func(ctx context.Context, l func(listeners.Addrs)) error {
		return catalogapp.Serve(ctx, ccfg, l)
	})
	s.stopCatalog = catalog.Stop

	env := stacktest.Env(s.cartDBURL, auth, map[string]string{"CATALOG_GRPC_TARGET": catalog.Addrs.GRPC}, cartOverrides)
	cfg := stacktest.Load[app.Config](t, env)
	cart := stacktest.Run(t, "cart", func(ctx context.Context, l func(listeners.Addrs)) error { return app.Serve(ctx, cfg, l) })
	s.rest, s.admin, s.cart = cart.REST, cart.Admin, cartv1.NewCartServiceClient(cart.Conn)
	return s
}

// token returns an access token for a customer.
func (s *system) token(t *testing.T, user string) string { return s.iss.Token(t, user, "customer") }

// as returns a context carrying user's token for gRPC calls.
func (s *system) as(t *testing.T, user string) context.Context {
	return metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer "+s.token(t, user))
}

// call sends a REST request to cart with an optional bearer token and
// decodes the JSON response, which every cart answer must be.
func (s *system) call(t *testing.T, method, path, body, token string) (int, map[string]any) {
	t.Helper()
	var h stacktest.Header
	if token != "" {
		h = stacktest.Bearer(token)
	}
	code, out := stacktest.Call(t, method, s.rest+path, body, h)
	if out == nil {
		t.Fatalf("%s %s: %d, not JSON", method, path, code)
	}
	return code, out
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
