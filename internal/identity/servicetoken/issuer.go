// Package servicetoken is identity's use case of issuing service tokens:
// the client-credentials exchange of docs/adr/0014. A service proves who it
// is with its secret and gets a short-lived token signed with identity's
// access-token key, whose audience and claims only service-token verifiers
// accept (internal/platform/servicetoken).
package servicetoken

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// maxSecretLength bounds the input hashed per request.
const maxSecretLength = 1024

// Config is identity's service-token configuration.
type Config struct {
	// ClientsFile lists the clients and their secrets' hashes (ParseClients);
	// unset: no service can obtain a token.
	ClientsFile string `env:"SERVICE_CLIENTS_FILE"`
	// TTL is a service token's lifetime: clients fetch a new one halfway,
	// so identity can be away for about half of it unnoticed.
	TTL time.Duration `env:"SERVICE_TOKEN_TTL" default:"10m"`
}

// Validate checks what the types cannot.
func (c Config) Validate() error {
	if c.TTL < time.Minute || c.TTL > time.Hour {
		return config.Errorf("SERVICE_TOKEN_TTL", "must be between 1m and 1h")
	}
	return nil
}

// Issuer exchanges client credentials for service tokens.
type Issuer struct {
	clients Clients
	signer  *auth.Signer
	issuer  string
	ttl     time.Duration
	now     func() time.Time
}

// NewIssuer signs tokens from issuer (JWT_ISSUER) with signer, valid for ttl.
func NewIssuer(clients Clients, signer *auth.Signer, issuer string, ttl time.Duration) *Issuer {
	return &Issuer{clients: clients, signer: signer, issuer: issuer, ttl: ttl, now: time.Now}
}

// Known reports a configured client (for metrics labels, which must not
// take arbitrary input).
func (i *Issuer) Known(clientID string) bool {
	_, ok := i.clients[clientID]
	return ok
}

// Issue returns a token for clientID if secret is its secret. An unknown
// client and a wrong secret are the same Unauthenticated answer, and both
// cost one constant-time comparison.
func (i *Issuer) Issue(_ context.Context, clientID, secret string) (svctoken.Token, error) {
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
	want, known := i.clients[clientID]
	got := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !known {
		return svctoken.Token{}, apperr.New(apperr.KindUnauthenticated, "invalid client credentials")
	}
	token, err := i.signer.Sign(svctoken.NewClaims(i.issuer, clientID, i.now(), i.ttl))
	if err != nil {
		return svctoken.Token{}, apperr.Internal(err)
	}
	return svctoken.Token{Value: token, ExpiresIn: i.ttl}, nil
}
