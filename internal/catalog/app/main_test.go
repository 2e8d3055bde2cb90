package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
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
func (c *catalog) adminHeader(t testing.TB) map[string]string {
	return map[string]string{"Authorization": "Bearer " + c.issuer.Token(t, "admin-1", auth.RoleAdmin)}
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

// call sends a REST request and decodes the JSON response into a map.
func call(t testing.TB, method, url, body string, header map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: invalid JSON %q: %v", method, url, raw, err)
		}
	}
	return resp.StatusCode, out, resp.Header
}
