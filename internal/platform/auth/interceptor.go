package auth

import (
	"context"
	"crypto/subtle"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Authenticator turns a bearer token into a caller.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (Principal, error)
}

// UnaryServerInterceptor authenticates a bearer token when one is sent.
// Without one the call proceeds anonymously and public methods work; a bad
// token is always refused, so a client never silently loses its identity.
func UnaryServerInterceptor(a Authenticator) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		token, present, err := bearerToken(ctx)
		if err != nil {
			return nil, err
		}
		if present {
			p, err := a.Authenticate(ctx, token)
			if err != nil {
				return nil, err
			}
			ctx = NewContext(ctx, p)
		}
		return next(ctx, req)
	}
}

func bearerToken(ctx context.Context) (token string, present bool, err error) {
	md, _ := metadata.FromIncomingContext(ctx)
	values := md.Get("authorization")
	if len(values) == 0 {
		return "", false, nil
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || token == "" {
		return "", true, apperr.New(apperr.KindUnauthenticated, "authorization must be \"Bearer <token>\"")
	}
	return token, true, nil
}

// StaticToken authenticates one shared secret as an admin operator. It is the
// hook's first implementation, for operations before user tokens exist; with
// an empty Token every token is refused.
type StaticToken struct {
	Token     string
	Principal Principal
}

// Authenticate compares in constant time.
func (s StaticToken) Authenticate(_ context.Context, token string) (Principal, error) {
	if s.Token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.Token)) != 1 {
		return Principal{}, apperr.New(apperr.KindUnauthenticated, "invalid token")
	}
	return s.Principal, nil
}
