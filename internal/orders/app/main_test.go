package app_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	cartapp "github.com/shipshape-dev/shipshape/internal/cart/app"
	cartmigrations "github.com/shipshape-dev/shipshape/internal/cart/store/migrations"
	catalogapp "github.com/shipshape-dev/shipshape/internal/catalog/app"
	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/orders/app"
	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var (
	catalogDB = catalogtest.Seeded()
	cartDB    = pgtest.Migrated("cart", cartmigrations.FS)
	ordersDB  = pgtest.Migrated("orders", migrations.FS)
	lantern   = seed.ID("product", "storm-lantern")
	kettle    = seed.ID("product", "gimballed-stove-kettle")
)

// shop is identity, catalog, cart and orders running in-process, each on
// its own database, all trusting identity's tokens; orders and cart get
// their service tokens from identity as in a deployment.
type shop struct {
	issuer                 *identitytest.Identity
	catalog, cart, orders  *stacktest.Service
	catalogDB, ordersDBURL string
	ordersEnv              map[string]string
}

func startShop(t testing.TB, ordersOverrides map[string]string) *shop {
	t.Helper()
	s := startUpstreams(t, ordersOverrides)
	s.orders = stacktest.Run(t, "orders", func(ctx context.Context, l func(listeners.Addrs)) error {
		return app.Serve(ctx, stacktest.Load[app.Config](t, s.ordersEnv), l)
	})
	return s
}

// startUpstreams starts catalog and cart and prepares orders' database and
// configuration, leaving orders itself to the caller.
func startUpstreams(t testing.TB, ordersOverrides map[string]string) *shop {
	t.Helper()
	s := &shop{issuer: identitytest.Start(t, "orders", "cart"), catalogDB: catalogDB.NewDatabase(t), ordersDBURL: ordersDB.NewDatabase(t)}
	auth := s.issuer.Env()
	s.catalog = stacktest.Run(t, "catalog", func(ctx context.Context, l func(listeners.Addrs)) error {
		cfg := stacktest.Load[catalogapp.Config](t, stacktest.Env(s.catalogDB, auth, map[string]string{"PRODUCT_CACHE_TTL": "0s"}))
		return catalogapp.Serve(ctx, cfg, l)
	})
	cartURL := cartDB.NewDatabase(t)
	s.cart = stacktest.Run(t, "cart", func(ctx context.Context, l func(listeners.Addrs)) error {
		cfg := stacktest.Load[cartapp.Config](t, stacktest.Env(cartURL, auth, s.issuer.ClientEnv(t, "cart"),
			map[string]string{"CATALOG_GRPC_TARGET": s.catalog.Addrs.GRPC}))
		return cartapp.Serve(ctx, cfg, l)
	})
	s.ordersEnv = stacktest.Env(s.ordersDBURL, auth, s.issuer.ClientEnv(t, "orders"), map[string]string{
		"CATALOG_GRPC_TARGET": s.catalog.Addrs.GRPC, "CART_GRPC_TARGET": s.cart.Addrs.GRPC,
		"RECOVERY_GRACE": "1s", "RECOVERY_INTERVAL": "200ms",
	}, ordersOverrides)
	return s
}

// customer is a signed-in user of the shop.
type customer struct {
	id     string
	header stacktest.Header
}

func (s *shop) customer(t testing.TB, id string) customer {
	return customer{id: id, header: stacktest.Bearer(s.issuer.Token(t, id, "customer"))}
}

func (s *shop) admin(t testing.TB) stacktest.Header {
	return stacktest.Bearer(s.issuer.Token(t, "admin-1", "admin"))
}

// addToCart puts quantity of product into the customer's cart.
func (s *shop) addToCart(t testing.TB, c customer, product string, quantity int) {
	t.Helper()
	status, body := stacktest.Call(t, "POST", s.cart.REST+"/v1/cart/items",
		fmt.Sprintf(`{"productId":%q,"quantity":%d}`, product, quantity), c.header)
	if status != 200 {
		t.Fatalf("add to cart: %d %v", status, body)
	}
}

const validCard = `{"card":{"number":"` + payment.CardApproved + `","expMonth":12,"expYear":2099,"cvc":"123"}}`

func cardBody(number string) string {
	return `{"card":{"number":"` + number + `","expMonth":12,"expYear":2099,"cvc":"123"}}`
}

// checkout posts an order with key (empty: no header).
func (s *shop) checkout(t testing.TB, c customer, key, body string) (int, map[string]any) {
	t.Helper()
	h := c.header
	if key != "" {
		h = h.With("Idempotency-Key", key)
	}
	return stacktest.Call(t, "POST", s.orders.REST+"/v1/orders", body, h)
}

// sql runs a scalar query on a database.
func sql(t testing.TB, url, query string, args ...any) int64 {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n int64
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (s *shop) stock(t testing.TB, product string) int64 {
	return sql(t, s.catalogDB, `SELECT stock FROM products WHERE id = $1`, product)
}

func (s *shop) setStock(t testing.TB, product string, n int) {
	sql(t, s.catalogDB, `WITH u AS (UPDATE products SET stock = $2 WHERE id = $1 RETURNING stock) SELECT count(*) FROM u`, product, n)
}

func (s *shop) count(t testing.TB, query string, args ...any) int64 {
	return sql(t, s.ordersDBURL, query, args...)
}

func (s *shop) cartItems(t testing.TB, c customer) int {
	status, body := stacktest.Call(t, "GET", s.cart.REST+"/v1/cart", "", c.header)
	if status != 200 {
		t.Fatalf("get cart: %d %v", status, body)
	}
	items, _ := body["items"].([]any)
	return len(items)
}
