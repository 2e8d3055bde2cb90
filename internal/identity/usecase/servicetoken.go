package usecase

// The client-credentials exchange of docs/adr/0014: a service proves who it
// is with its secret and gets a short-lived token signed with identity's
// access-token key, whose audience and claims only service-token verifiers
// accept (internal/platform/servicetoken).

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// maxSecretLength bounds the input hashed per request.
const maxSecretLength = 1024

// ServiceTokenDeps are the ServiceTokens use case's collaborators.
type ServiceTokenDeps struct {
	Clients ServiceClients
	Signer  *auth.Signer // identity's access-token key
	Issuer  string       // JWT_ISSUER
	TTL     time.Duration
	// Registry receives identity_service_tokens_total; nil: a private one.
	Registry prometheus.Registerer
	// Logger reports refusals; nil: no logs.
	Logger *slog.Logger
}

// ServiceTokens exchanges client credentials for service tokens.
type ServiceTokens struct {
	ServiceTokenDeps
	issued *prometheus.CounterVec
	now    func() time.Time
}

// NewServiceTokens returns the use case over d.
func NewServiceTokens(d ServiceTokenDeps) *ServiceTokens {
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	// A refusal for a known client means a wrong or rotated secret,
	// refusals for "unknown" someone probing.
	issued := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "identity_service_tokens_total",
		Help: "Service token requests by client (\"unknown\" for any other id) and outcome: issued, refused, invalid, error.",
	}, []string{"client", "outcome"})
	d.Registry.MustRegister(issued)
	return &ServiceTokens{ServiceTokenDeps: d, issued: issued, now: time.Now}
}

// Issue returns a token for clientID if secret is its secret. An unknown
// client and a wrong secret are the same Unauthenticated answer, and both
// cost one constant-time comparison.
func (i *ServiceTokens) Issue(ctx context.Context, clientID, secret string) (svctoken.Token, error) {
	t, err := i.issue(clientID, secret)
	client := "unknown" // a label never takes arbitrary input
	if _, known := i.Clients[clientID]; known {
		client = clientID
	}
	outcome := "issued"
	switch {
	case apperr.Is(err, apperr.KindUnauthenticated):
		outcome = "refused"
		i.Logger.WarnContext(ctx, "service token refused: invalid client credentials", "client", client)
	case apperr.Is(err, apperr.KindInvalidArgument):
		outcome = "invalid"
	case err != nil:
		outcome = "error"
	}
	i.issued.WithLabelValues(client, outcome).Inc()
	return t, err
}

func (i *ServiceTokens) issue(clientID, secret string) (svctoken.Token, error) {
	var v apperr.Violations
	switch {
	case clientID == "":
		v.Add("clientId", "is required")
	case !svctoken.ValidName(clientID):
		v.Add("clientId", "must be a service name (lowercase letters, digits, hyphens)")
	}
	switch {
	case secret == "":
		v.Add("clientSecret", "is required")
	case len(secret) > maxSecretLength:
		v.Add("clientSecret", "is too long")
	}
	if err := v.Err(); err != nil {
		return svctoken.Token{}, err
	}
	want, known := i.Clients[clientID]
	got := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !known {
		return svctoken.Token{}, apperr.New(apperr.KindUnauthenticated, "invalid client credentials")
	}
	token, err := i.Signer.Sign(svctoken.NewClaims(i.Issuer, clientID, i.now(), i.TTL))
	if err != nil {
		return svctoken.Token{}, apperr.Internal(err)
	}
	return svctoken.Token{Value: token, ExpiresIn: i.TTL}, nil
}
