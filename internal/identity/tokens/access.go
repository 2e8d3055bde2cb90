// Package tokens issues identity's credentials: short-lived ES256 access
// tokens that any service verifies against the JWKS, and opaque refresh
// tokens that only identity can redeem.
package tokens

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// Access signs access tokens for users.
type Access struct {
	signer   *auth.Signer
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
}

// NewAccess returns an issuer of tokens valid for ttl.
func NewAccess(signer *auth.Signer, issuer, audience string, ttl time.Duration) *Access {
	return &Access{signer: signer, issuer: issuer, audience: audience, ttl: ttl, now: time.Now}
}

// TTL is how long issued tokens live.
func (a *Access) TTL() time.Duration { return a.ttl }

// Issue returns a signed token for u carrying its current roles.
func (a *Access) Issue(u domain.User) (string, error) {
	now := a.now().Truncate(time.Second)
	return a.signer.Sign(auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    a.issuer,
			Audience:  jwt.ClaimStrings{a.audience},
			Subject:   u.ID,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(a.ttl)),
			ID:        uuid.NewString(),
		},
		Roles: u.Roles,
		Email: u.Email,
	})
}
