package auth

import (
	"context"
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
	token, err = BearerToken(values[0])
	return token, true, err
}

// BearerToken extracts the token of an Authorization value; anything but
// "Bearer <token>" (scheme case-insensitive) is Unauthenticated.
func BearerToken(authorization string) (string, error) {
	scheme, token, ok := strings.Cut(authorization, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || token == "" {
		return "", apperr.New(apperr.KindUnauthenticated, "authorization must be \"Bearer <token>\"")
	}
	return token, nil
}
