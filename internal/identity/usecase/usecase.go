// Package usecase is what identity does, one use case per file, independent
// of the transport: it validates input, applies the account and session
// rules, and owns every business error a client can see. Failure answers
// never tell which accounts exist.
package usecase

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/password"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
)

// Store is identity's persistence (see store.Store): data, and domain's
// sentinel errors (domain.ErrNotFound, ...) for the expected misses.
type Store interface {
	CreateUser(ctx context.Context, nu domain.NewUser) (domain.User, error)
	UserByEmail(ctx context.Context, email string) (domain.User, error)
	UserByID(ctx context.Context, id string) (domain.User, error)
	ReplacePasswordHash(ctx context.Context, id, oldHash, newHash string) error
	GrantRole(ctx context.Context, email, role string) (changed bool, err error)

	CreateRefreshToken(ctx context.Context, t domain.RefreshToken) error
	RefreshToken(ctx context.Context, hash []byte) (domain.RefreshToken, error)
	RotateRefreshToken(ctx context.Context, currentID string, next domain.RefreshToken, r domain.Rotation) error
	TakeSuccessorSeal(ctx context.Context, id string) (sealed []byte, ok bool, err error)
	DeleteSuccessorSeals(ctx context.Context, before time.Time, limit int) (int, error)
	RevokeFamily(ctx context.Context, familyID string, at time.Time) error
	DeleteExpiredRefreshTokens(ctx context.Context, before time.Time, limit int) (int, error)

	ChangeSignInFailures(ctx context.Context, keys []domain.ThrottleKey,
		change func([]domain.SignInFailures) ([]domain.SignInFailures, error)) error
	DeleteSignInFailures(ctx context.Context, before time.Time, limit int) (int, error)
}

// Deps are the use cases' collaborators. Only Store is needed by every use
// case (grant-admin runs with nothing else); Metrics, Logger and Now
// default to a private registry, no logs and the wall clock.
type Deps struct {
	Store  Store
	Hasher *password.Hasher
	Access *tokens.Access
	// Sessions says how long refresh tokens and their families live.
	Sessions domain.SessionPolicy
	// RefreshGrace is how long the client that rotated a refresh token may
	// present it again for the same successor; zero allows no repeat.
	RefreshGrace time.Duration
	// Throttle limits sign-in failures; the zero policy blocks nothing.
	Throttle domain.ThrottlePolicy
	Metrics  *Metrics
	Logger   *slog.Logger
	Now      func() time.Time
}

// Identity runs the use cases.
type Identity struct{ Deps }

// New returns the use cases over d.
func New(d Deps) *Identity {
	if d.Metrics == nil {
		d.Metrics = NewMetrics(prometheus.NewRegistry())
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Identity{Deps: d}
}
