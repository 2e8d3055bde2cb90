package servicetoken

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// Verifier checks service tokens: identity's signature (the same keys as
// user tokens), its issuer, the service audience, and a subject that names
// the service the "svc" claim does.
type Verifier struct {
	tokens *auth.Verifier // nil: nothing can be verified
}

// NewVerifier verifies tokens of issuer signed with keys.
func NewVerifier(issuer string, keys auth.KeySource) *Verifier {
	return &Verifier{tokens: auth.NewVerifier(issuer, Audience, keys)}
}

// VerifierFor is the verifier of a service configured with c: it fetches
// identity's JWKS from c.JWKSURL. Without one it refuses every token, as
// the user-token authenticator does.
func VerifierFor(c auth.Config) *Verifier {
	if c.JWKSURL == "" {
		return &Verifier{}
	}
	return NewVerifier(c.Issuer, auth.NewJWKS(c.JWKSURL, nil))
}

// Verify returns the service token's caller. A bad token is
// Unauthenticated; keys that cannot be fetched make it Unavailable.
func (v *Verifier) Verify(ctx context.Context, token string) (Caller, error) {
	if v.tokens == nil {
		return Caller{}, apperr.New(apperr.KindUnauthenticated, "invalid service token: token verification is not configured")
	}
	var c Claims
	if err := v.tokens.Verify(ctx, token, &c); err != nil {
		if e := apperr.As(err); e.Kind == apperr.KindUnauthenticated {
			e.Message = "invalid service token: " + e.Message
		}
		return Caller{}, err
	}
	if !ValidName(c.Service) || c.Subject != subjectPrefix+c.Service {
		return Caller{}, apperr.New(apperr.KindUnauthenticated, "invalid service token: no service named")
	}
	return Caller{Service: c.Service}, nil
}

// UnaryServerInterceptor verifies the service token a call carries under
// MetadataKey and puts the caller in the context for Require. A call
// without one proceeds (public methods need none); a bad one is refused,
// so a service never silently loses its identity.
func UnaryServerInterceptor(v *Verifier) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		values := metadata.ValueFromIncomingContext(ctx, MetadataKey)
		if len(values) == 0 {
			return next(ctx, req)
		}
		token, err := auth.BearerToken(values[0])
		if err != nil {
			return nil, apperr.New(apperr.KindUnauthenticated, "%s must be \"Bearer <token>\"", MetadataKey)
		}
		c, err := v.Verify(ctx, token)
		if err != nil {
			return nil, err
		}
		return next(NewContext(ctx, c), req)
	}
}
