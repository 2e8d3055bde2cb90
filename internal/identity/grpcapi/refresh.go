package grpcapi

import (
	"context"
	"errors"

	"github.com/google/uuid"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/store"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Refresh exchanges a refresh token for a new pair; the access token carries
// the user's roles as they are now.
func (s *Server) Refresh(ctx context.Context, req *identityv1.RefreshRequest) (*identityv1.RefreshResponse, error) {
	presented, err := refreshHash(req.GetRefreshToken())
	if err != nil {
		s.Metrics.refresh.WithLabelValues("invalid").Inc()
		return nil, err
	}
	token, hash := tokens.NewRefresh()
	u, err := s.Store.RotateRefreshToken(ctx, presented, domain.RefreshToken{ID: uuid.NewString(), Hash: hash,
		ExpiresAt: s.now().Add(s.RefreshTTL)})
	switch {
	case errors.Is(err, store.ErrRefreshReused):
		s.Metrics.refresh.WithLabelValues("reused").Inc()
		s.Logger.WarnContext(ctx, "rotated refresh token presented again: session revoked")
		return nil, err
	case apperr.Is(err, apperr.KindUnauthenticated):
		s.Metrics.refresh.WithLabelValues("invalid").Inc()
		return nil, err
	case err != nil:
		s.Metrics.refresh.WithLabelValues("error").Inc()
		return nil, err
	}
	access, err := s.Access.Issue(u)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	s.Metrics.refresh.WithLabelValues("ok").Inc()
	return &identityv1.RefreshResponse{Tokens: s.tokens(access, token)}, nil
}

// SignOut revokes the token's whole session. It succeeds for any well-formed
// input, known or not, so it cannot be used to test tokens.
func (s *Server) SignOut(ctx context.Context, req *identityv1.SignOutRequest) (*identityv1.SignOutResponse, error) {
	presented, err := refreshHash(req.GetRefreshToken())
	if apperr.Is(err, apperr.KindInvalidArgument) {
		return nil, err
	}
	if err == nil {
		if err := s.Store.RevokeFamily(ctx, presented); err != nil {
			return nil, err
		}
	}
	return &identityv1.SignOutResponse{}, nil
}

// refreshHash validates the field: missing is InvalidArgument, anything we
// cannot have issued is the usual invalid-token answer.
func refreshHash(token string) ([]byte, error) {
	if token == "" {
		return nil, apperr.InvalidField("refreshToken", "is required")
	}
	hash, ok := tokens.HashRefresh(token)
	if !ok {
		return nil, store.InvalidRefresh()
	}
	return hash, nil
}
