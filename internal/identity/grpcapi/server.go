// Package grpcapi implements identity.v1 over the store, the password
// hasher and the token issuers: it validates every request field and keeps
// its failure answers free of hints about which accounts exist.
package grpcapi

import (
	"context"
	"log/slog"
	"time"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/password"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
)

// Store is what the service needs from persistence.
type Store interface {
	CreateUser(ctx context.Context, nu domain.NewUser) (domain.User, error)
	UserByEmail(ctx context.Context, email string) (domain.User, error)
	UserByID(ctx context.Context, id string) (domain.User, error)
	ReplacePasswordHash(ctx context.Context, id, oldHash, newHash string) error
	CreateRefreshToken(ctx context.Context, t domain.RefreshToken) error
	RotateRefreshToken(ctx context.Context, presented []byte, next domain.RefreshToken) (domain.User, error)
	RevokeFamily(ctx context.Context, hash []byte) error
}

// Deps are the Server's collaborators.
type Deps struct {
	Store      Store
	Hasher     *password.Hasher
	Access     *tokens.Access
	RefreshTTL time.Duration
	Metrics    *Metrics
	Logger     *slog.Logger
}

// Server implements identityv1.IdentityServiceServer.
type Server struct {
	identityv1.UnimplementedIdentityServiceServer
	Deps
	now func() time.Time
}

// New returns the gRPC service.
func New(d Deps) *Server { return &Server{Deps: d, now: time.Now} }
