package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// SignOut revokes the token's whole session. It succeeds for any
// well-formed input, known or not, so it cannot be used to test tokens.
func (id *Identity) SignOut(ctx context.Context, token string) error {
	hash, err := refreshHash(token)
	switch {
	case apperr.Is(err, apperr.KindInvalidArgument):
		return err
	case err != nil:
		return nil // malformed: nothing we issued
	}
	cur, err := id.Store.RefreshToken(ctx, hash)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	return id.Store.RevokeFamily(ctx, cur.FamilyID, id.Now())
}
