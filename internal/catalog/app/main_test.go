package app_test

import (
	"context"
	"os"
	"testing"

	"google.golang.org/grpc"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/app"
	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/grpcclient"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var seeded = catalogtest.Seeded()

// catalog is a running catalog service on real loopback listeners.
type catalog struct {
	rest, admin string // base URLs
	client      catalogv1.CatalogServiceClient
	// asOrders calls as the orders service does: every call carries the
	// service token orders obtains from identity.
	asOrders catalogv1.CatalogServiceClient
	conn     *grpc.ClientConn
	dbURL    string
	identity *identitytest.Identity
}

// adminHeader carries an access token with the admin role.
func (c *catalog) adminHeader(t testing.TB) stacktest.Header {
	return stacktest.Bearer(c.identity.Token(t, "admin-1", auth.RoleAdmin))
}

// startCatalog runs catalog in-process against a fresh seeded database,
// trusting a real identity (which knows the clients orders and cart); it
// stops when the test ends.
func startCatalog(t testing.TB, overrides map[string]string) *catalog {
	t.Helper()
	dbURL := seeded.NewDatabase(t)
	identity := identitytest.Start(t, "orders", "cart")
	// Tests change stock behind the service's back; the cache has its own test.
	env := stacktest.Env(dbURL, identity.Env(), map[string]string{"PRODUCT_CACHE_TTL": "0s"}, overrides)
	svc := stacktest.Run(t, "catalog", func(ctx context.Context, l func(listeners.Addrs)) error {
		return app.Serve(ctx, stacktest.Load[app.Config](t, env), l)
	})
	return &catalog{rest: svc.REST, admin: svc.Admin, client: catalogv1.NewCatalogServiceClient(svc.Conn), conn: svc.Conn,
		asOrders: catalogv1.NewCatalogServiceClient(dialAs(t, identity, "orders", svc.Addrs.GRPC)),
		dbURL:    dbURL, identity: identity}
}

// dialAs connects to target with client's service credentials, the way
// that service's own connections are made.
func dialAs(t testing.TB, identity *identitytest.Identity, client, target string) *grpc.ClientConn {
	t.Helper()
	source, err := servicetoken.NewClient(stacktest.Load[servicetoken.ClientConfig](t, identity.ClientEnv(t, client)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = source.Close() })
	conn, err := grpcclient.Dial(grpcclient.Config{Target: target, Credentials: servicetoken.Credentials(source.Source)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}
