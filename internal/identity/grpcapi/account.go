package grpcapi

import (
	"context"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// SignUp creates a customer account (REST: 201 with the user).
func (s *Server) SignUp(ctx context.Context, req *identityv1.SignUpRequest) (*identityv1.SignUpResponse, error) {
	u, err := s.identity.SignUp(ctx, domain.SignUp{Email: req.GetEmail(), Password: req.GetPassword(), Name: req.GetName()})
	if err != nil {
		return nil, err
	}
	return &identityv1.SignUpResponse{User: toProto(u)}, nil
}

// GetMe returns the caller's account.
func (s *Server) GetMe(ctx context.Context, _ *identityv1.GetMeRequest) (*identityv1.GetMeResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.identity.Me(ctx, p.Subject)
	if err != nil {
		return nil, err
	}
	return &identityv1.GetMeResponse{User: toProto(u)}, nil
}
