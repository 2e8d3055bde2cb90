package e2e_test

import (
	"context"
	"os"
	"testing"

	cartapp "github.com/shipshape-dev/shipshape/internal/cart/app"
	cartmigrations "github.com/shipshape-dev/shipshape/internal/cart/store/migrations"
	catalogapp "github.com/shipshape-dev/shipshape/internal/catalog/app"
	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	ordersapp "github.com/shipshape-dev/shipshape/internal/orders/app"
	ordersmigrations "github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var (
	catalogDB = catalogtest.Seeded()
	cartDB    = pgtest.Migrated("cart", cartmigrations.FS)
	ordersDB  = pgtest.Migrated("orders", ordersmigrations.FS)
)

// system is all four services, each on its own database, trusting the
// tokens identity signs through its JWKS, orders and cart identifying
// themselves with service tokens from identity, exactly as in `make run`.
type system struct {
	identity, catalog, cart, orders *stacktest.Service
	identityDB, catalogDB, ordersDB string
}

func startSystem(t testing.TB) *system {
	t.Helper()
	s, _ := startSystemWithSigner(t)
	return s
}

// startSystemWithSigner also returns a signer holding identity's key, for
// benchmarks that need many users' tokens without signing each one in.
func startSystemWithSigner(t testing.TB) (*system, *auth.Signer) {
	t.Helper()
	return startSystemWith(t, func(*bootstrap.Common) {})
}

// startSystemWith is startSystemWithSigner with each of catalog, cart and
// orders' common configuration passed through edit first (telemetry).
func startSystemWith(t testing.TB, edit func(*bootstrap.Common)) (*system, *auth.Signer) {
	t.Helper()
	identity := identitytest.Start(t, "orders", "cart")
	s := &system{identity: identity.Service, identityDB: identity.DatabaseURL, catalogDB: catalogDB.NewDatabase(t), ordersDB: ordersDB.NewDatabase(t)}
	trust := identity.Env()
	s.catalog = stacktest.Run(t, "catalog", func(ctx context.Context, l func(listeners.Addrs)) error {
		cfg := stacktest.Load[catalogapp.Config](t, stacktest.Env(s.catalogDB, trust))
		edit(&cfg.Common)
		return catalogapp.Serve(ctx, cfg, l)
	})
	cartURL := cartDB.NewDatabase(t)
	s.cart = stacktest.Run(t, "cart", func(ctx context.Context, l func(listeners.Addrs)) error {
		env := stacktest.Env(cartURL, trust, identity.ClientEnv(t, "cart"), map[string]string{"CATALOG_GRPC_TARGET": s.catalog.Addrs.GRPC})
		cfg := stacktest.Load[cartapp.Config](t, env)
		edit(&cfg.Common)
		return cartapp.Serve(ctx, cfg, l)
	})
	s.orders = stacktest.Run(t, "orders", func(ctx context.Context, l func(listeners.Addrs)) error {
		env := stacktest.Env(s.ordersDB, trust, identity.ClientEnv(t, "orders"), map[string]string{
			"CATALOG_GRPC_TARGET": s.catalog.Addrs.GRPC, "CART_GRPC_TARGET": s.cart.Addrs.GRPC})
		cfg := stacktest.Load[ordersapp.Config](t, env)
		edit(&cfg.Common)
		return ordersapp.Serve(ctx, cfg, l)
	})
	return s, identity.Signer
}
