package grpcapi

import (
	"context"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
)

// ServiceTokens implements identityv1.ServiceTokenServiceServer, the
// client-credentials exchange of services (gRPC only, never published).
type ServiceTokens struct {
	identityv1.UnimplementedServiceTokenServiceServer
	issuer *usecase.ServiceTokens
}

// NewServiceTokens returns the gRPC service over the issuing use case.
func NewServiceTokens(issuer *usecase.ServiceTokens) *ServiceTokens {
	return &ServiceTokens{issuer: issuer}
}

// IssueServiceToken exchanges a service's client credentials for a token.
func (s *ServiceTokens) IssueServiceToken(ctx context.Context, req *identityv1.IssueServiceTokenRequest) (*identityv1.IssueServiceTokenResponse, error) {
	t, err := s.issuer.Issue(ctx, req.GetClientId(), req.GetClientSecret())
	if err != nil {
		return nil, err
	}
	return &identityv1.IssueServiceTokenResponse{AccessToken: t.Value, ExpiresIn: int32(t.ExpiresIn.Seconds()), TokenType: "Bearer"}, nil
}
