package servicetoken

import (
	"context"
	"slices"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Caller is the service that made a call, as its verified token says.
type Caller struct {
	Service string
}

type callerKey struct{}

// NewContext attaches the calling service to ctx.
func NewContext(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// FromContext returns the calling service, if it presented a valid token.
func FromContext(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}

// Require is the per-handler check of internal methods: Unauthenticated
// when no service identified itself, PermissionDenied when it is not one
// of services.
func Require(ctx context.Context, services ...string) (Caller, error) {
	c, ok := FromContext(ctx)
	if !ok {
		return Caller{}, apperr.New(apperr.KindUnauthenticated, "a service token is required (metadata %s)", MetadataKey)
	}
	if !slices.Contains(services, c.Service) {
		return Caller{}, apperr.New(apperr.KindPermissionDenied, "service %s may not call this method", c.Service)
	}
	return c, nil
}
