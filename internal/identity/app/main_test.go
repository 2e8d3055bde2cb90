package app_test

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/identity/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("identity", migrations.FS)

// identity is a running identity service on real loopback listeners.
type identity struct {
	rest, admin string // base URLs
	conn        *grpc.ClientConn
	dbURL       string
	stop        func() // stops it now (also done at cleanup)
}

// options say how to start identity; zero values get a fresh database and key.
type options struct {
	dbURL    string
	keyFile  string
	previous []string
	env      map[string]string
	now      func() time.Time // the use cases' clock; nil is the wall clock
}

// testEnv is stacktest's configuration plus identity's key files.
func testEnv(o options) map[string]string {
	keys := map[string]string{"JWT_SIGNING_KEY_FILE": o.keyFile, "JWT_PREVIOUS_KEY_FILES": strings.Join(o.previous, ",")}
	return stacktest.Env(o.dbURL, keys, o.env)
}

// startIdentity runs app.Serve in-process and stops it when the test ends,
// checking that it shut down cleanly.
func startIdentity(t testing.TB, o options) *identity {
	t.Helper()
	if o.dbURL == "" {
		o.dbURL = migrated.NewDatabase(t)
	}
	if o.keyFile == "" {
		o.keyFile, _ = identitytest.KeyFile(t)
	}
	cfg := stacktest.Load[app.Config](t, testEnv(o))
	cfg.Now = o.now
	svc := stacktest.Run(t, "identity", func(ctx context.Context, l func(listeners.Addrs)) error { return app.Serve(ctx, cfg, l) })
	return &identity{rest: svc.REST, admin: svc.Admin, conn: svc.Conn, dbURL: o.dbURL, stop: svc.Stop}
}

const goodPassword = "unusual giraffe lantern"

// signUp creates an account and fails the test otherwise.
func (id *identity) signUp(t testing.TB, email string) map[string]any {
	t.Helper()
	status, user := stacktest.Call(t, "POST", id.rest+"/v1/auth/signup",
		`{"email":"`+email+`","password":"`+goodPassword+`","name":"Test User"}`, nil)
	if status != http.StatusCreated {
		t.Fatalf("sign-up %s: %d %v", email, status, user)
	}
	return user
}

// signIn returns the tokens of a successful sign-in.
func (id *identity) signIn(t testing.TB, email string) (access, refresh string) {
	t.Helper()
	status, tok := stacktest.Call(t, "POST", id.rest+"/v1/auth/signin", `{"email":"`+email+`","password":"`+goodPassword+`"}`, nil)
	if status != http.StatusOK {
		t.Fatalf("sign-in %s: %d %v", email, status, tok)
	}
	return tok["accessToken"].(string), tok["refreshToken"].(string)
}

// refresh posts a refresh token and returns the status and body.
func (id *identity) refresh(t testing.TB, token string) (int, map[string]any) {
	t.Helper()
	status, body := stacktest.Call(t, "POST", id.rest+"/v1/auth/refresh", `{"refreshToken":"`+token+`"}`, nil)
	return status, body
}

// refreshFrom posts a refresh token as the gateway forwards a client at
// addr.
func (id *identity) refreshFrom(t testing.TB, addr, token string) (int, map[string]any) {
	t.Helper()
	return stacktest.Call(t, "POST", id.rest+"/v1/auth/refresh", `{"refreshToken":"`+token+`"}`,
		stacktest.Header{"X-Forwarded-For": addr})
}

// metric reads one sample from /metrics on the admin listener (0 if absent).
func (id *identity) metric(t testing.TB, series string) float64 {
	t.Helper()
	resp, err := http.Get(id.admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", series, err)
			}
			return f
		}
	}
	return 0
}

// db opens a pool on the service's database for checks behind its back.
func (id *identity) db(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), id.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func count(t testing.TB, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldNamed reports whether an error body names field.
func fieldNamed(body map[string]any, field string) bool {
	fields, _ := body["fields"].([]any)
	for _, f := range fields {
		if f.(map[string]any)["field"] == field {
			return true
		}
	}
	return false
}
