// Package auth carries the caller's identity and checks roles. Services call
// RequireRole in handlers; how a caller is authenticated is pluggable, so the
// JWT verifier can replace the static admin token without touching handlers.
package auth

import (
	"context"
	"slices"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Well-known roles.
const (
	RoleCustomer = "customer"
	RoleAdmin    = "admin"
)

// Principal is an authenticated caller.
type Principal struct {
	Subject string
	Roles   []string
}

// HasRole reports whether the caller holds role.
func (p Principal) HasRole(role string) bool { return slices.Contains(p.Roles, role) }

type principalKey struct{}

// NewContext attaches the caller to ctx.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the caller, if one authenticated.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// RequireRole is the per-handler authorization hook: Unauthenticated without
// a caller, PermissionDenied without the role.
func RequireRole(ctx context.Context, role string) (Principal, error) {
	p, ok := FromContext(ctx)
	if !ok {
		return Principal{}, apperr.New(apperr.KindUnauthenticated, "authentication required")
	}
	if !p.HasRole(role) {
		return Principal{}, apperr.New(apperr.KindPermissionDenied, "the %s role is required", role)
	}
	return p, nil
}
