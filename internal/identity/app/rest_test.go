package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestRESTAccountLifecycle(t *testing.T) {
	id := startIdentity(t, options{})
	status, user := stacktest.Call(t, "POST", id.rest+"/v1/auth/signup",
		`{"email":"  Ada@Example.ORG ","password":"`+goodPassword+`","name":" Ada Lovelace "}`, nil)
	if status != http.StatusCreated {
		t.Fatalf("sign-up: %d %v", status, user)
	}
	roles, _ := user["roles"].([]any)
	if user["email"] != "ada@example.org" || user["name"] != "Ada Lovelace" || len(roles) != 1 || roles[0] != "customer" ||
		user["id"] == "" || user["createTime"] == nil {
		t.Fatalf("user %v", user)
	}
	for k := range user {
		if strings.Contains(strings.ToLower(k), "password") {
			t.Fatalf("the user carries %q", k)
		}
	}

	status, tok := stacktest.Call(t, "POST", id.rest+"/v1/auth/signin", `{"email":"ADA@example.org","password":"`+goodPassword+`"}`, nil)
	if status != http.StatusOK || tok["tokenType"] != "Bearer" || tok["expiresIn"] != float64(900) ||
		tok["accessToken"] == "" || len(tok["refreshToken"].(string)) != 43 {
		t.Fatalf("sign-in: %d %v", status, tok)
	}
	access, refresh := tok["accessToken"].(string), tok["refreshToken"].(string)

	status, me := stacktest.Call(t, "GET", id.rest+"/v1/me", "", stacktest.Bearer(access))
	if status != http.StatusOK || me["id"] != user["id"] || me["email"] != "ada@example.org" {
		t.Fatalf("me: %d %v", status, me)
	}
	if status, body := stacktest.Call(t, "GET", id.rest+"/v1/me", "", nil); status != http.StatusUnauthorized || body["code"] != "UNAUTHENTICATED" {
		t.Fatalf("me without a token: %d %v", status, body)
	}

	status, next := id.refresh(t, refresh)
	if status != http.StatusOK || next["refreshToken"] == refresh || next["accessToken"] == "" || next["tokenType"] != "Bearer" {
		t.Fatalf("refresh: %d %v", status, next)
	}
	if status, _ := stacktest.Call(t, "GET", id.rest+"/v1/me", "", stacktest.Bearer(next["accessToken"].(string))); status != http.StatusOK {
		t.Fatalf("me with the refreshed token: %d", status)
	}
	newRefresh := next["refreshToken"].(string)

	for range 2 { // sign-out is idempotent
		status, body := stacktest.Call(t, "POST", id.rest+"/v1/auth/signout", `{"refreshToken":"`+newRefresh+`"}`, nil)
		if status != http.StatusOK || len(body) != 0 {
			t.Fatalf("sign-out: %d %v", status, body)
		}
	}
	status, body := id.refresh(t, newRefresh)
	if status != http.StatusUnauthorized || body["message"] != "invalid refresh token" {
		t.Fatalf("refresh after sign-out: %d %v", status, body)
	}
	// Unknown and malformed tokens sign out "successfully": no oracle.
	for _, tok := range []string{strings.Repeat("A", 43), "not-a-token"} {
		if status, body := stacktest.Call(t, "POST", id.rest+"/v1/auth/signout", `{"refreshToken":"`+tok+`"}`, nil); status != http.StatusOK {
			t.Fatalf("sign-out of %q: %d %v", tok, status, body)
		}
	}
}

func TestRESTBadInputNamesTheFieldAndWritesNothing(t *testing.T) {
	id := startIdentity(t, options{})
	id.signUp(t, "taken@example.org")
	pool := id.db(t)
	signup := func(email, password, name string) string {
		return `{"email":"` + email + `","password":"` + password + `","name":"` + name + `"}`
	}
	cases := []struct {
		name, path, body string
		status           int
		code, field      string
	}{
		{"invalid e-mail", "/v1/auth/signup", signup("ada.example.org", goodPassword, "Ada"), 400, "INVALID_ARGUMENT", "email"},
		{"display-name e-mail", "/v1/auth/signup", signup("Ada <ada@example.org>", goodPassword, "Ada"), 400, "INVALID_ARGUMENT", "email"},
		{"missing e-mail", "/v1/auth/signup", signup("", goodPassword, "Ada"), 400, "INVALID_ARGUMENT", "email"},
		{"short password", "/v1/auth/signup", signup("ada@example.org", "short1!", "Ada"), 400, "INVALID_ARGUMENT", "password"},
		{"long password", "/v1/auth/signup", signup("ada@example.org", strings.Repeat("p", 129), "Ada"), 400, "INVALID_ARGUMENT", "password"},
		{"common password", "/v1/auth/signup", signup("ada@example.org", "Password123", "Ada"), 400, "INVALID_ARGUMENT", "password"},
		{"password contains e-mail", "/v1/auth/signup", signup("lovelace@example.org", "my-LOVELACE-secret", "Ada"), 400, "INVALID_ARGUMENT", "password"},
		{"missing name", "/v1/auth/signup", signup("ada@example.org", goodPassword, "  "), 400, "INVALID_ARGUMENT", "name"},
		{"long name", "/v1/auth/signup", signup("ada@example.org", goodPassword, strings.Repeat("n", 101)), 400, "INVALID_ARGUMENT", "name"},
		{"bidi override in the name", "/v1/auth/signup", signup("ada@example.org", goodPassword, `Ada\u202eecalevoL`), 400, "INVALID_ARGUMENT", "name"},
		{"zero-width space in the e-mail", "/v1/auth/signup", signup(`ada@exa\u200bmple.org`, goodPassword, "Ada"), 400, "INVALID_ARGUMENT", "email"},
		{"duplicate account", "/v1/auth/signup", signup("Taken@Example.org", goodPassword, "Ada"), 409, "ALREADY_EXISTS", "email"},
		{"malformed JSON", "/v1/auth/signup", `{"email":`, 400, "INVALID_ARGUMENT", "body"},
		{"unknown field", "/v1/auth/signup", `{"email":"ada@example.org","password":"` + goodPassword + `","name":"Ada","admin":true}`, 400, "INVALID_ARGUMENT", "admin"},
		{"wrong field type", "/v1/auth/signup", `{"email":["ada@example.org"]}`, 400, "INVALID_ARGUMENT", "email"},
		{"sign-in without password", "/v1/auth/signin", `{"email":"ada@example.org"}`, 400, "INVALID_ARGUMENT", "password"},
		{"sign-in with invalid e-mail", "/v1/auth/signin", `{"email":"ada","password":"x"}`, 400, "INVALID_ARGUMENT", "email"},
		{"refresh without token", "/v1/auth/refresh", `{}`, 400, "INVALID_ARGUMENT", "refreshToken"},
		{"refresh with garbage", "/v1/auth/refresh", `{"refreshToken":"garbage"}`, 401, "UNAUTHENTICATED", ""},
		{"sign-out without token", "/v1/auth/signout", `{}`, 400, "INVALID_ARGUMENT", "refreshToken"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			users := count(t, pool, `SELECT count(*) FROM users`)
			tokens := count(t, pool, `SELECT count(*) FROM refresh_tokens`)
			status, body := stacktest.Call(t, "POST", id.rest+tc.path, tc.body, nil)
			if status != tc.status || body["code"] != tc.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tc.status, tc.code)
			}
			if msg, _ := body["message"].(string); msg == "" {
				t.Fatal("no message")
			}
			if tc.field != "" && !fieldNamed(body, tc.field) {
				t.Fatalf("fields %v do not name %q", body["fields"], tc.field)
			}
			if count(t, pool, `SELECT count(*) FROM users`) != users || count(t, pool, `SELECT count(*) FROM refresh_tokens`) != tokens {
				t.Fatal("a refused request wrote to the database")
			}
		})
	}
}

// An unknown e-mail and a wrong password get the same answer, and both pay
// for one argon2id verification (counted by the hash histogram), so neither
// the body nor the timing tells which accounts exist.
func TestSignInFailuresAreIndistinguishable(t *testing.T) {
	id := startIdentity(t, options{})
	id.signUp(t, "ada@example.org")
	const verifications = `identity_password_hash_seconds_count{op="verify"}`
	attempt := func(email, password string) (int, map[string]any, float64) {
		before := id.metric(t, verifications)
		status, body := stacktest.Call(t, "POST", id.rest+"/v1/auth/signin", `{"email":"`+email+`","password":"`+password+`"}`, nil)
		return status, body, id.metric(t, verifications) - before
	}
	ws, wrong, wv := attempt("ada@example.org", "not the right password")
	us, unknown, uv := attempt("nobody@example.org", "not the right password")
	delete(wrong, "requestId")
	delete(unknown, "requestId")
	if ws != http.StatusUnauthorized || us != ws || wrong["message"] != "invalid email or password" ||
		wrong["code"] != unknown["code"] || wrong["message"] != unknown["message"] || len(wrong) != len(unknown) {
		t.Fatalf("wrong password: %d %v; unknown e-mail: %d %v", ws, wrong, us, unknown)
	}
	if fieldNamed(wrong, "email") || fieldNamed(wrong, "password") {
		t.Fatal("the failure names a field")
	}
	if wv != 1 || uv != 1 {
		t.Fatalf("argon2id verifications: wrong password %v, unknown e-mail %v; want 1 each", wv, uv)
	}
	if got := id.metric(t, `identity_signins_total{outcome="invalid_credentials"}`); got != 2 {
		t.Fatalf("invalid sign-ins counted %v", got)
	}
}

func TestRefreshRotationAndReuse(t *testing.T) {
	id := startIdentity(t, options{})
	id.signUp(t, "ada@example.org")
	_, first := id.signIn(t, "ada@example.org")
	_, other := id.signIn(t, "ada@example.org") // a second session (another device)

	status, body := id.refresh(t, first)
	if status != http.StatusOK {
		t.Fatalf("refresh: %d %v", status, body)
	}
	second := body["refreshToken"].(string)
	// The used token is refused when it comes back from another client;
	// presenting it revokes its family, so the token it was exchanged for
	// stops working too.
	if status, body := id.refreshFrom(t, "203.0.113.9", first); status != http.StatusUnauthorized || body["message"] != "invalid refresh token" {
		t.Fatalf("reused token: %d %v", status, body)
	}
	if status, _ := id.refresh(t, second); status != http.StatusUnauthorized {
		t.Fatalf("newest token after reuse: %d, want 401", status)
	}
	if got := id.metric(t, `identity_token_refreshes_total{outcome="reused"}`); got != 1 {
		t.Fatalf("reuse counted %v times", got)
	}
	if status, _ := id.refresh(t, other); status != http.StatusOK {
		t.Fatalf("the other session was revoked too: %d", status)
	}
}

func TestMeForADeletedAccountIsNotFound(t *testing.T) {
	id := startIdentity(t, options{})
	id.signUp(t, "ada@example.org")
	access, _ := id.signIn(t, "ada@example.org")
	if _, err := id.db(t).Exec(t.Context(), `DELETE FROM users`); err != nil {
		t.Fatal(err)
	}
	if status, body := stacktest.Call(t, "GET", id.rest+"/v1/me", "", stacktest.Bearer(access)); status != http.StatusNotFound {
		t.Fatalf("me: %d %v", status, body)
	}
}
