package auth

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// RequireUser returns the signed-in caller, or Unauthenticated for an
// anonymous call.
func RequireUser(ctx context.Context) (Principal, error) {
	p, ok := FromContext(ctx)
	if !ok || p.Subject == "" {
		return Principal{}, apperr.New(apperr.KindUnauthenticated, "authentication required")
	}
	return p, nil
}

// CheckOwner allows p to see a resource owned by ownerID. Anyone else gets
// NotFound, exactly as for a resource that does not exist, so ids cannot be
// probed. Admins are not exempt: admin access goes through admin methods.
func CheckOwner(p Principal, ownerID, resource, id string) error {
	if p.Subject != "" && p.Subject == ownerID {
		return nil
	}
	return apperr.NotFound(resource, id)
}
