package auth

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// leeway absorbs clock skew between identity and the verifying pod.
const leeway = 30 * time.Second

// Verifier authenticates identity's access tokens: ES256 only, a key id
// naming a published key, the expected issuer and audience, not expired.
type Verifier struct {
	keys KeySource
	// built once: neither changes while it parses or validates
	parser    *jwt.Parser
	validator *jwt.Validator
	now       func() time.Time
	// verified remembers checked signatures (verified.go); checks counts
	// the signatures checked for real (tests).
	verified verifiedSignatures
	checks   atomic.Int64
}

// NewVerifier verifies tokens from issuer for audience with keys. Both must
// be set (Config.Validate ensures it): an empty one would turn its check off.
func NewVerifier(issuer, audience string, keys KeySource) *Verifier {
	if issuer == "" || audience == "" {
		panic("auth: NewVerifier needs an issuer and an audience")
	}
	v := &Verifier{keys: keys, now: time.Now}
	options := []jwt.ParserOption{
		// Pinning the algorithm refuses "none" and HMAC-with-the-public-key.
		jwt.WithValidMethods([]string{Algorithm}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(func() time.Time { return v.now() }),
	}
	v.parser, v.validator = jwt.NewParser(options...), jwt.NewValidator(options...)
	return v
}

// Authenticate returns the token's subject and roles. A token that fails
// verification is Unauthenticated; keys that cannot be fetched make it
// Unavailable, since the token may well be valid.
func (v *Verifier) Authenticate(ctx context.Context, token string) (Principal, error) {
	var claims Claims
	if err := v.Verify(ctx, token, &claims); err != nil {
		return Principal{}, err
	}
	return Principal{Subject: claims.Subject, Roles: claims.Roles}, nil
}

// Verify checks token (signature, algorithm, key id, issuer, audience,
// expiry, a subject) and decodes its claims into claims, for tokens whose
// claims are not Claims (service tokens). Errors as Authenticate's. A
// token whose signature this verifier checked before, with a key still
// published under the same id, has only its claims checked again.
func (v *Verifier) Verify(ctx context.Context, token string, claims jwt.Claims) error {
	if known, ok := v.verified.lookup(token, v.now()); ok {
		if key, err := v.keys.PublicKey(ctx, known.kid); err == nil && key.Equal(known.key) {
			_, _, err := v.parser.ParseUnverified(token, claims)
			if err == nil {
				err = v.validator.Validate(claims)
			}
			return verifyResult(err, nil, claims)
		}
	}
	var keysDown error
	var used verifiedSignature
	_, err := v.parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("token has no key id")
		}
		key, err := v.keys.PublicKey(ctx, kid)
		if err != nil {
			if !errors.Is(err, ErrUnknownKey) {
				keysDown = err
			}
			return nil, err
		}
		v.checks.Add(1)
		used = verifiedSignature{kid: kid, key: key}
		return key, nil
	})
	if err = verifyResult(err, keysDown, claims); err != nil {
		return err
	}
	if exp, _ := claims.GetExpirationTime(); exp != nil {
		used.until = exp.Add(leeway)
		v.verified.remember(token, used, v.now())
	}
	return nil
}

// verifyResult is what a client is told of a token's check.
func verifyResult(err, keysDown error, claims jwt.Claims) error {
	switch {
	case keysDown != nil:
		return apperr.Unavailable(keysDown)
	case errors.Is(err, jwt.ErrTokenExpired):
		// Said plainly so a client knows to refresh rather than sign in.
		return &apperr.Error{Kind: apperr.KindUnauthenticated, Message: "token expired", Err: err}
	case err != nil:
		return &apperr.Error{Kind: apperr.KindUnauthenticated, Message: "invalid token", Err: err}
	}
	if sub, _ := claims.GetSubject(); sub == "" {
		return apperr.New(apperr.KindUnauthenticated, "invalid token: no subject")
	}
	return nil
}
