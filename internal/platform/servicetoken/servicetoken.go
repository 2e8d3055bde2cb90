// Package servicetoken identifies services to each other (docs/adr/0014).
// Identity issues a service a short-lived ES256 token in exchange for its
// client credentials; the service sends it on every call it makes under
// its own metadata key, next to the end user's token, and the callee
// verifies it against identity's JWKS and checks which service is calling:
//
//	client: conn, _ := grpcclient.Dial(grpcclient.Config{..., Credentials: servicetoken.Credentials(source)})
//	server: if _, err := servicetoken.Require(ctx, "orders"); err != nil { return nil, err }
//
// Service tokens have their own audience and carry the caller in a "svc"
// claim, so a user's access token never passes as a service token, nor a
// service token as a user's.
package servicetoken

import (
	"regexp"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

const (
	// Audience is the "aud" of every service token; user tokens never
	// carry it (auth.Config refuses it as JWT_AUDIENCE).
	Audience = "shipshape-services"
	// MetadataKey carries "Bearer <service token>" on gRPC calls. Not
	// "authorization": that one carries the end user's token, which a
	// service forwards on their behalf.
	MetadataKey = "x-service-authorization"
	// subjectPrefix makes a service's subject unlike any user id.
	subjectPrefix = "service:"
)

// Claims are a service token's claims: the registered ones plus the
// calling service's name.
type Claims struct {
	jwt.RegisteredClaims
	Service string `json:"svc"`
}

// NewClaims are the claims identity signs for service, valid for ttl from
// now (whole seconds, as JWTs count).
func NewClaims(issuer, service string, now time.Time, ttl time.Duration) Claims {
	now = now.Truncate(time.Second)
	return Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Audience:  jwt.ClaimStrings{Audience},
			Subject:   subjectPrefix + service,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			ID:        uuid.NewString(),
		},
		Service: service,
	}
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

// ValidName reports a service name: lowercase letters, digits and hyphens,
// starting with a letter, at most 63 characters (a Kubernetes name).
func ValidName(s string) bool { return namePattern.MatchString(s) }
