package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/password"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// A hash made with weaker parameters still verifies, and the first
// successful sign-in replaces it with one using the current parameters.
func TestSignInUpgradesOutdatedHash(t *testing.T) {
	id := startIdentity(t, options{})
	id.signUp(t, "ada@example.org")
	weak, err := password.NewHasher(password.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := weak.Hash(t.Context(), goodPassword)
	pool := id.db(t)
	if _, err := pool.Exec(t.Context(), `UPDATE users SET password_hash = $1`, old); err != nil {
		t.Fatal(err)
	}
	if status, _ := stacktest.Call(t, "POST", id.rest+"/v1/auth/signin", `{"email":"ada@example.org","password":"wrong password!"}`, nil); status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", status)
	}
	var stored string
	_ = pool.QueryRow(t.Context(), `SELECT password_hash FROM users`).Scan(&stored)
	if stored != old {
		t.Fatal("a failed sign-in changed the hash")
	}
	id.signIn(t, "ada@example.org")
	_ = pool.QueryRow(t.Context(), `SELECT password_hash FROM users`).Scan(&stored)
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash not upgraded: %s", stored)
	}
	if got := id.metric(t, "identity_password_rehashes_total"); got != 1 {
		t.Fatalf("rehashes %v", got)
	}
	id.signIn(t, "ada@example.org") // the upgraded hash verifies
}
