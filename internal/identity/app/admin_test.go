package app_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func rolesOf(t *testing.T, token string) []string {
	t.Helper()
	var c auth.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil {
		t.Fatal(err)
	}
	return c.Roles
}

// grant-admin runs as the real command would: env configuration, exit code.
func TestGrantAdminCommand(t *testing.T) {
	id := startIdentity(t, options{})
	id.signUp(t, "ops@example.org")
	_, refresh := id.signIn(t, "ops@example.org")
	t.Setenv("DATABASE_URL", id.dbURL)

	var out bytes.Buffer
	for _, args := range [][]string{{"grant-admin", " OPS@example.org "}, {"grant-admin", "ops@example.org"}} {
		if code := cli.Main("identity", args, &out, app.Commands()...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, out.String())
		}
	}
	for _, args := range [][]string{{"grant-admin", "nobody@example.org"}, {"grant-admin", "not an e-mail"}, {"grant-admin"}} {
		out.Reset()
		if code := cli.Main("identity", args, &out, app.Commands()...); code != 1 || out.Len() == 0 {
			t.Errorf("%v: exit %d (%s), want 1 with a message", args, code, out.String())
		}
	}
	if !strings.Contains(out.String(), "usage: identity grant-admin <email>") {
		t.Errorf("no usage hint: %s", out.String())
	}
	var db pg.Config
	if err := config.LoadFrom(func(k string) (string, bool) { return id.dbURL, k == "DATABASE_URL" }, &db); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := app.GrantAdmin(t.Context(), db, "ops@example.org", &out); err != nil || !strings.Contains(out.String(), "already has the admin role") {
		t.Fatalf("third grant: %v %q", err, out.String())
	}

	// New tokens carry the role, from sign-in and from refresh alike.
	access, _ := id.signIn(t, "ops@example.org")
	if !slices.Equal(rolesOf(t, access), []string{"customer", "admin"}) {
		t.Fatalf("roles after grant: %v", rolesOf(t, access))
	}
	status, body := id.refresh(t, refresh)
	if status != http.StatusOK || !slices.Contains(rolesOf(t, body["accessToken"].(string)), "admin") {
		t.Fatalf("refreshed token: %d %v", status, body)
	}
	status, me := stacktest.Call(t, "GET", id.rest+"/v1/me", "", stacktest.Bearer(access))
	if roles, _ := me["roles"].([]any); status != http.StatusOK || len(roles) != 2 {
		t.Fatalf("me: %d %v", status, me)
	}
}

func TestGrantAdminReportsAChange(t *testing.T) {
	id := startIdentity(t, options{})
	id.signUp(t, "ops@example.org")
	var db pg.Config
	if err := config.LoadFrom(func(k string) (string, bool) { return id.dbURL, k == "DATABASE_URL" }, &db); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := app.GrantAdmin(t.Context(), db, "ops@example.org", &out); err != nil || !strings.Contains(out.String(), "now has the admin role") {
		t.Fatalf("%v %q", err, out.String())
	}
	if err := app.GrantAdmin(t.Context(), db, "nobody@example.org", &out); err == nil || !strings.Contains(err.Error(), "no account") {
		t.Fatalf("unknown account: %v", err)
	}
}
