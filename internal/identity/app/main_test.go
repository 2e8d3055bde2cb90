package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/platform/server"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = identitytest.Migrated()

// identity is a running identity service on real loopback listeners.
type identity struct {
	rest, admin, grpc string // base URLs / address
	dbURL             string
	stop              func() // stops it now (also done at cleanup)
}

// options say how to start identity; zero values get a fresh database and key.
type options struct {
	dbURL    string
	keyFile  string
	previous []string
	env      map[string]string
}

func testEnv(o options) func(string) (string, bool) {
	vars := map[string]string{
		"DATABASE_URL": o.dbURL, "HTTP_ADDR": "127.0.0.1:0", "GRPC_ADDR": "127.0.0.1:0", "ADMIN_ADDR": "127.0.0.1:0",
		"SHUTDOWN_DRAIN_DELAY": "0s", "HEALTH_INTERVAL": "100ms", "LOG_LEVEL": "error",
		"JWT_SIGNING_KEY_FILE": o.keyFile, "JWT_PREVIOUS_KEY_FILES": strings.Join(o.previous, ","),
	}
	for k, v := range o.env {
		vars[k] = v
	}
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
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
	var cfg app.Config
	if err := config.LoadFrom(testEnv(o), &cfg); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan server.Addrs, 1)
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, cfg, func(a server.Addrs) { addrs <- a }) }()
	var a server.Addrs
	select {
	case a = <-addrs:
	case err := <-done:
		cancel()
		t.Fatalf("identity did not start: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("identity did not start within 30s")
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("shutdown: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("identity did not stop within 30s")
		}
	}
	t.Cleanup(stop)
	return &identity{rest: "http://" + a.HTTP, admin: "http://" + a.Admin, grpc: a.GRPC, dbURL: o.dbURL, stop: stop}
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

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

const goodPassword = "unusual giraffe lantern"

// signUp creates an account and fails the test otherwise.
func (id *identity) signUp(t testing.TB, email string) map[string]any {
	t.Helper()
	status, user, _ := call(t, "POST", id.rest+"/v1/auth/signup",
		`{"email":"`+email+`","password":"`+goodPassword+`","name":"Test User"}`, nil)
	if status != http.StatusCreated {
		t.Fatalf("sign-up %s: %d %v", email, status, user)
	}
	return user
}

// signIn returns the tokens of a successful sign-in.
func (id *identity) signIn(t testing.TB, email string) (access, refresh string) {
	t.Helper()
	status, tok, _ := call(t, "POST", id.rest+"/v1/auth/signin", `{"email":"`+email+`","password":"`+goodPassword+`"}`, nil)
	if status != http.StatusOK {
		t.Fatalf("sign-in %s: %d %v", email, status, tok)
	}
	return tok["accessToken"].(string), tok["refreshToken"].(string)
}

// refresh posts a refresh token and returns the status and body.
func (id *identity) refresh(t testing.TB, token string) (int, map[string]any) {
	t.Helper()
	status, body, _ := call(t, "POST", id.rest+"/v1/auth/refresh", `{"refreshToken":"`+token+`"}`, nil)
	return status, body
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
