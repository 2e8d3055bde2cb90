package app_test

import (
	"context"
	"os"
	"testing"

	"google.golang.org/grpc"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/app"
	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/platform/server"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var seeded = catalogtest.Seeded()

// catalog is a running catalog service on real loopback listeners.
type catalog struct {
	rest, admin string // base URLs
	client      catalogv1.CatalogServiceClient
	conn        *grpc.ClientConn
	dbURL       string
	issuer      *authtest.Issuer
}

// adminHeader carries an access token with the admin role.
func (c *catalog) adminHeader(t testing.TB) stacktest.Header {
	return stacktest.Bearer(c.issuer.Token(t, "admin-1", auth.RoleAdmin))
}

// startCatalog runs catalog in-process against a fresh seeded database,
// trusting a test token issuer; it stops when the test ends.
func startCatalog(t testing.TB, overrides map[string]string) *catalog {
	t.Helper()
	dbURL := seeded.NewDatabase(t)
	issuer := authtest.NewIssuer(t)
	// Tests change stock behind the service's back; the cache has its own test.
	env := stacktest.Env(dbURL, issuer.Env(), map[string]string{"PRODUCT_CACHE_TTL": "0s"}, overrides)
	svc := stacktest.Run(t, "catalog", func(ctx context.Context, l func(server.Addrs)) error {
		return app.Serve(ctx, stacktest.Load[app.Config](t, env), l)
	})
	return &catalog{rest: svc.REST, admin: svc.Admin, client: catalogv1.NewCatalogServiceClient(svc.Conn), conn: svc.Conn,
		dbURL: dbURL, issuer: issuer}
}
