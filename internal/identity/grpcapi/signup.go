package grpcapi

import (
	"context"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// SignUp creates a customer account (REST: 201 with the user).
func (s *Server) SignUp(ctx context.Context, req *identityv1.SignUpRequest) (*identityv1.SignUpResponse, error) {
	in, err := domain.ValidateSignUp(domain.SignUp{Email: req.GetEmail(), Password: req.GetPassword(), Name: req.GetName()})
	if err != nil {
		return nil, err
	}
	// Hashing before the insert also makes a taken e-mail cost as much
	// time as a new account.
	hash, err := s.Hasher.Hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	u, err := s.Store.CreateUser(ctx, domain.NewUser{Email: in.Email, Name: in.Name, PasswordHash: hash,
		Roles: []string{auth.RoleCustomer}})
	if err != nil {
		return nil, err
	}
	s.Metrics.signups.Inc()
	return &identityv1.SignUpResponse{User: toProto(u)}, nil
}
