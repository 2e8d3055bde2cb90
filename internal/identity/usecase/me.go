package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Me returns the account userID (the verified caller); a token outliving
// its account (deleted since) gets NotFound.
func (id *Identity) Me(ctx context.Context, userID string) (domain.User, error) {
	u, err := id.Store.UserByID(ctx, userID)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.User{}, apperr.NotFound("user", userID)
	}
	return u, err
}
