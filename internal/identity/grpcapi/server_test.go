package grpcapi_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/grpcapi"
	"github.com/shipshape-dev/shipshape/internal/identity/password"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// fakeStore holds one user; every other method fails loudly if reached.
type fakeStore struct {
	grpcapi.Store
	user       domain.User
	lookupErr  error
	replaceErr error
	replaced   atomic.Int32
}

func (f *fakeStore) UserByEmail(_ context.Context, email string) (domain.User, error) {
	if f.lookupErr != nil {
		return domain.User{}, f.lookupErr
	}
	if email != f.user.Email {
		return domain.User{}, apperr.NotFound("user", email)
	}
	return f.user, nil
}

func (f *fakeStore) CreateRefreshToken(context.Context, domain.RefreshToken) error { return nil }

func (f *fakeStore) ReplacePasswordHash(context.Context, string, string, string) error {
	f.replaced.Add(1)
	return f.replaceErr
}

var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newServer(t *testing.T, st grpcapi.Store, verifications *atomic.Int32) *grpcapi.Server {
	t.Helper()
	h, err := password.NewHasher(cheap, password.WithObserver(func(op string, _ time.Duration) {
		if op == "verify" {
			verifications.Add(1)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, err := auth.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return grpcapi.New(grpcapi.Deps{Store: st, Hasher: h, Metrics: grpcapi.NewMetrics(prometheus.NewRegistry()),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RefreshTTL: time.Hour,
		Access: tokens.NewAccess(signer, "iss", "aud", time.Minute)})
}

func TestSignInFailures(t *testing.T) {
	var verifications atomic.Int32
	st := &fakeStore{user: domain.User{ID: "u1", Email: "ada@example.org", PasswordHash: "$argon2id$v=19$garbage"}}
	s := newServer(t, st, &verifications)

	// Unknown e-mail: one (dummy) verification, the generic answer.
	_, err := s.SignIn(t.Context(), &identityv1.SignInRequest{Email: "nobody@example.org", Password: "whatever it is"})
	if e := apperr.As(err); e.Kind != apperr.KindUnauthenticated || e.Message != "invalid email or password" || verifications.Load() != 1 {
		t.Fatalf("unknown e-mail: %v (verifications %d)", err, verifications.Load())
	}
	// A corrupt stored hash is our fault, not the caller's, and never a match.
	_, err = s.SignIn(t.Context(), &identityv1.SignInRequest{Email: "ada@example.org", Password: "whatever it is"})
	if e := apperr.As(err); e.Kind != apperr.KindInternal || !errors.Is(err, password.ErrMalformed) {
		t.Fatalf("corrupt hash: %v", err)
	}
	// A database outage is reported as such, not as bad credentials.
	st.lookupErr = apperr.Unavailable(errors.New("db down"))
	if _, err := s.SignIn(t.Context(), &identityv1.SignInRequest{Email: "ada@example.org", Password: "whatever it is"}); !apperr.Is(err, apperr.KindUnavailable) {
		t.Fatalf("outage: %v", err)
	}
}

func TestFailedRehashDoesNotFailSignIn(t *testing.T) {
	var verifications atomic.Int32
	older, _ := password.NewHasher(password.Params{Memory: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	stored, _ := older.Hash(t.Context(), "the right password")
	st := &fakeStore{user: domain.User{ID: "u1", Email: "ada@example.org", PasswordHash: stored},
		replaceErr: apperr.Unavailable(errors.New("db down"))}
	s := newServer(t, st, &verifications)
	resp, err := s.SignIn(t.Context(), &identityv1.SignInRequest{Email: "ada@example.org", Password: "the right password"})
	if err != nil || resp.GetTokens().GetAccessToken() == "" || resp.GetTokens().GetRefreshToken() == "" {
		t.Fatalf("sign-in: %v %v", resp, err)
	}
	if st.replaced.Load() != 1 {
		t.Fatalf("rehash attempted %d times, want 1", st.replaced.Load())
	}
}
