package grpcapi

import (
	"context"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/clientaddr"
)

// SignIn starts a session.
func (s *Server) SignIn(ctx context.Context, req *identityv1.SignInRequest) (*identityv1.SignInResponse, error) {
	client, _ := clientaddr.FromContext(ctx)
	t, err := s.identity.SignIn(ctx, usecase.Credentials{Email: req.GetEmail(), Password: req.GetPassword(), Client: client})
	if err != nil {
		return nil, err
	}
	return &identityv1.SignInResponse{Tokens: tokensToProto(t)}, nil
}

// Refresh exchanges a refresh token for a new pair.
func (s *Server) Refresh(ctx context.Context, req *identityv1.RefreshRequest) (*identityv1.RefreshResponse, error) {
	client, _ := clientaddr.FromContext(ctx)
	t, err := s.identity.Refresh(ctx, req.GetRefreshToken(), client)
	if err != nil {
		return nil, err
	}
	return &identityv1.RefreshResponse{Tokens: tokensToProto(t)}, nil
}

// SignOut ends the refresh token's session.
func (s *Server) SignOut(ctx context.Context, req *identityv1.SignOutRequest) (*identityv1.SignOutResponse, error) {
	if err := s.identity.SignOut(ctx, req.GetRefreshToken()); err != nil {
		return nil, err
	}
	return &identityv1.SignOutResponse{}, nil
}
