package usecase_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/password"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestSignInStartsASession(t *testing.T) {
	e := setup(t, options{})
	u := e.signUp(t, "ada@example.org")
	tok, err := e.id.SignIn(t.Context(), usecase.Credentials{Email: " ADA@example.org", Password: goodPassword})
	if err != nil || tok.Access == "" || len(tok.Refresh) != 43 || tok.AccessTTL.Minutes() != 15 {
		t.Fatalf("sign-in: %+v %v", tok, err)
	}
	if n := e.count(t, `SELECT count(*) FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, u.ID); n != 1 {
		t.Fatalf("%d live refresh tokens", n)
	}
	if got := e.counter(t, "identity_signins_total", "ok"); got != 1 {
		t.Fatalf("ok sign-ins counted %v", got)
	}
}

func TestSignInValidatesEveryField(t *testing.T) {
	e := setup(t, options{})
	_, err := e.id.SignIn(t.Context(), usecase.Credentials{Email: "ada", Password: ""})
	if ae := apperr.As(err); ae.Kind != apperr.KindInvalidArgument || len(ae.Fields) != 2 {
		t.Fatalf("got %v", err)
	}
	if e.verifies.Load() != 0 {
		t.Fatal("invalid input reached the password hash")
	}
}

// An unknown e-mail and a wrong password get the same answer and one
// argon2id verification each.
func TestSignInFailuresAreIndistinguishable(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	for _, email := range []string{"ada@example.org", "nobody@example.org"} {
		before := e.verifies.Load()
		_, err := e.id.SignIn(t.Context(), usecase.Credentials{Email: email, Password: "not the right one"})
		if ae := apperr.As(err); ae.Kind != apperr.KindUnauthenticated || ae.Message != "invalid email or password" || len(ae.Fields) != 0 {
			t.Fatalf("%s: %v", email, err)
		}
		if n := e.verifies.Load() - before; n != 1 {
			t.Fatalf("%s: %d verifications, want 1", email, n)
		}
	}
	if got := e.counter(t, "identity_signins_total", "invalid_credentials"); got != 2 {
		t.Fatalf("invalid sign-ins counted %v", got)
	}
}

func TestSignInFaultsAreNotBadCredentials(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	// A corrupt stored hash is our fault, not the caller's, and never a match.
	if _, err := e.pool.Exec(t.Context(), `UPDATE users SET password_hash = '$argon2id$v=19$garbage'`); err != nil {
		t.Fatal(err)
	}
	_, err := e.id.SignIn(t.Context(), usecase.Credentials{Email: "ada@example.org", Password: goodPassword})
	if ae := apperr.As(err); ae.Kind != apperr.KindInternal || !errors.Is(err, password.ErrMalformed) {
		t.Fatalf("corrupt hash: %v", err)
	}
	// A database outage is reported as such.
	e.pool.Close()
	_, err = e.id.SignIn(t.Context(), usecase.Credentials{Email: "ada@example.org", Password: goodPassword})
	if !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("outage: %v", err)
	}
	if got := e.counter(t, "identity_signins_total", "error"); got != 2 {
		t.Fatalf("errors counted %v", got)
	}
}

// failingRehash is the real store whose hash upgrades fail.
type failingRehash struct {
	usecase.Store
	calls int
}

func (f *failingRehash) ReplacePasswordHash(context.Context, string, string, string) error {
	f.calls++
	return apperr.Unavailable(errors.New("db down"))
}

func TestOutdatedHashIsUpgradedAndAFailedUpgradeDoesNotFailSignIn(t *testing.T) {
	var failing *failingRehash
	e := setup(t, options{wrap: func(s usecase.Store) usecase.Store { failing = &failingRehash{Store: s}; return failing }})
	e.signUp(t, "ada@example.org")
	older, _ := password.NewHasher(password.Params{Memory: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	old, _ := older.Hash(t.Context(), goodPassword)
	if _, err := e.pool.Exec(t.Context(), `UPDATE users SET password_hash = $1`, old); err != nil {
		t.Fatal(err)
	}
	if tok := e.signIn(t, "ada@example.org"); tok.Access == "" || tok.Refresh == "" {
		t.Fatalf("tokens %+v", tok)
	}
	if failing.calls != 1 || e.counter(t, "identity_password_rehashes_total", "") != 0 {
		t.Fatalf("rehash attempted %d times", failing.calls)
	}
}
