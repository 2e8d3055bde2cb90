package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// GrantAdmin adds the admin role to the account with email (an operator's
// command); changed is false when it already had it. The account's next
// access token (sign-in or refresh) carries the role.
func (id *Identity) GrantAdmin(ctx context.Context, email string) (normalized string, changed bool, err error) {
	normalized, reason := domain.NormalizeEmail(email)
	if reason != "" {
		return "", false, apperr.InvalidField("email", reason)
	}
	changed, err = id.Store.GrantRole(ctx, normalized, auth.RoleAdmin)
	if errors.Is(err, domain.ErrNotFound) {
		return normalized, false, apperr.New(apperr.KindNotFound, "no account with e-mail %s (sign up first)", normalized)
	}
	return normalized, changed, err
}
