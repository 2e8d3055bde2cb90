package usecase

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/store"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
)

// Refresh exchanges a refresh token for a new pair (rotation); the access
// token carries the user's roles as they are now. A token is exchanged at
// most once: a rotated token that comes back means two parties hold it, so
// its whole family is revoked.
func (id *Identity) Refresh(ctx context.Context, token string) (domain.Tokens, error) {
	t, err := id.refresh(ctx, token)
	id.Metrics.refreshed(err)
	if errors.Is(err, ErrRefreshReused) {
		id.Logger.WarnContext(ctx, "rotated refresh token presented again: session revoked")
	}
	return t, err
}

func (id *Identity) refresh(ctx context.Context, token string) (domain.Tokens, error) {
	hash, err := refreshHash(token)
	if err != nil {
		return domain.Tokens{}, err
	}
	// A lost race (ErrNotLive) is judged again on the token's new state,
	// which is final: a revoked token never becomes live.
	for range 2 {
		cur, err := id.Store.RefreshToken(ctx, hash)
		now := id.Now()
		switch {
		case errors.Is(err, store.ErrNotFound):
			return domain.Tokens{}, invalidRefresh(errors.New("unknown refresh token"))
		case err != nil:
			return domain.Tokens{}, err
		case cur.Rotated():
			if err := id.Store.RevokeFamily(ctx, cur.FamilyID, now); err != nil {
				return domain.Tokens{}, err
			}
			return domain.Tokens{}, invalidRefresh(ErrRefreshReused)
		case !cur.RevokedAt.IsZero():
			return domain.Tokens{}, invalidRefresh(errors.New("refresh token revoked"))
		case !cur.ExpiresAt.After(now):
			return domain.Tokens{}, invalidRefresh(errors.New("refresh token expired"))
		}
		refresh, nextHash := tokens.NewRefresh()
		next := domain.RefreshToken{ID: uuid.NewString(), UserID: cur.UserID, FamilyID: cur.FamilyID, Hash: nextHash,
			ExpiresAt: now.Add(id.RefreshTTL)}
		err = id.Store.RotateRefreshToken(ctx, cur.ID, next, now)
		if errors.Is(err, store.ErrNotLive) {
			continue
		}
		if err != nil {
			return domain.Tokens{}, err
		}
		u, err := id.Store.UserByID(ctx, cur.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return domain.Tokens{}, invalidRefresh(errors.New("account deleted"))
		}
		if err != nil {
			return domain.Tokens{}, err
		}
		return id.issue(u, refresh)
	}
	return domain.Tokens{}, invalidRefresh(errors.New("refresh token changed state twice"))
}
