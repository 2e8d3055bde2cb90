package grpcapi

import (
	"context"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// GetMe returns the caller's account; a token outliving its account (deleted
// since) gets NotFound.
func (s *Server) GetMe(ctx context.Context, _ *identityv1.GetMeRequest) (*identityv1.GetMeResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.Store.UserByID(ctx, p.Subject)
	if err != nil {
		return nil, err
	}
	return &identityv1.GetMeResponse{User: toProto(u)}, nil
}
