package grpcapi

import (
	"context"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/servicetoken"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ServiceTokens implements identityv1.ServiceTokenServiceServer, the
// client-credentials exchange of services (gRPC only, never published).
type ServiceTokens struct {
	identityv1.UnimplementedServiceTokenServiceServer
	issuer *servicetoken.Issuer
	log    *slog.Logger
	issued *prometheus.CounterVec
}

// NewServiceTokens returns the service over issuer and registers its
// counter: a refusal for a known client means a wrong or rotated secret,
// refusals for "unknown" someone probing.
func NewServiceTokens(issuer *servicetoken.Issuer, log *slog.Logger, reg prometheus.Registerer) *ServiceTokens {
	issued := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "identity_service_tokens_total",
		Help: "Service token requests by client (\"unknown\" for any other id) and outcome: issued, refused, invalid, error.",
	}, []string{"client", "outcome"})
	reg.MustRegister(issued)
	return &ServiceTokens{issuer: issuer, log: log, issued: issued}
}

// IssueServiceToken exchanges a service's client credentials for a token.
func (s *ServiceTokens) IssueServiceToken(ctx context.Context, req *identityv1.IssueServiceTokenRequest) (*identityv1.IssueServiceTokenResponse, error) {
	t, err := s.issuer.Issue(ctx, req.GetClientId(), req.GetClientSecret())
	client := "unknown"
	if s.issuer.Known(req.GetClientId()) {
		client = req.GetClientId()
	}
	outcome := "issued"
	switch {
	case apperr.Is(err, apperr.KindUnauthenticated):
		outcome = "refused"
		s.log.WarnContext(ctx, "service token refused: invalid client credentials", "client", client)
	case apperr.Is(err, apperr.KindInvalidArgument):
		outcome = "invalid"
	case err != nil:
		outcome = "error"
	}
	s.issued.WithLabelValues(client, outcome).Inc()
	if err != nil {
		return nil, err
	}
	return &identityv1.IssueServiceTokenResponse{AccessToken: t.Value, ExpiresIn: int32(t.ExpiresIn.Seconds()), TokenType: "Bearer"}, nil
}
