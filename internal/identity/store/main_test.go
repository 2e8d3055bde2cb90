package store_test

import (
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/store"
	"github.com/shipshape-dev/shipshape/internal/identity/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("identity", migrations.FS)

func newStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	pool := migrated.NewPool(t)
	return store.New(pool), pool
}

func createUser(t *testing.T, s *store.Store, email string) domain.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), domain.NewUser{Email: email, Name: "Test", PasswordHash: "$argon2id$stub", Roles: []string{"customer"}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// refresh makes a token for u; family "" starts a new family.
func refresh(u domain.User, family string, ttl time.Duration) (string, domain.RefreshToken) {
	tok, hash := tokens.NewRefresh()
	if family == "" {
		family = uuid.NewString()
	}
	return tok, domain.RefreshToken{ID: uuid.NewString(), UserID: u.ID, FamilyID: family, FamilyStartedAt: time.Now(),
		Hash: hash, ExpiresAt: time.Now().Add(ttl)}
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
