package usecase

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
)

// Refresh exchanges a refresh token for a new pair (rotation); the access
// token carries the user's roles as they are now. A token is exchanged at
// most once: a rotated token that comes back means two parties hold it, so
// its whole family is revoked. The one exception is the grace
// (domain.RefreshToken.Replayable): the client that rotated the token,
// repeating it moments later, gets the same successor once.
func (id *Identity) Refresh(ctx context.Context, token string, client netip.Addr) (domain.Tokens, error) {
	t, replayed, err := id.refresh(ctx, token, clientKey(client))
	id.Metrics.refreshed(replayed, err)
	if errors.Is(err, ErrRefreshReused) {
		id.Logger.WarnContext(ctx, "rotated refresh token presented again: session revoked")
	}
	return t, err
}

func (id *Identity) refresh(ctx context.Context, token, client string) (_ domain.Tokens, replayed bool, _ error) {
	hash, err := refreshHash(token)
	if err != nil {
		return domain.Tokens{}, false, err
	}
	// A lost race (ErrNotLive) is judged again on the token's new state,
	// which is final: a revoked token never becomes live.
	for range 2 {
		cur, err := id.Store.RefreshToken(ctx, hash)
		now := id.Now()
		switch {
		case errors.Is(err, domain.ErrNotFound):
			return domain.Tokens{}, false, invalidRefresh(errors.New("unknown refresh token"))
		case err != nil:
			return domain.Tokens{}, false, err
		case id.Sessions.Ended(cur.FamilyStartedAt, now):
			return domain.Tokens{}, false, invalidRefresh(errors.New("session past its maximum lifetime"))
		case cur.Rotated():
			t, err := id.replay(ctx, token, cur, client, now)
			return t, err == nil, err
		case !cur.RevokedAt.IsZero():
			return domain.Tokens{}, false, invalidRefresh(errors.New("refresh token revoked"))
		case !cur.ExpiresAt.After(now):
			return domain.Tokens{}, false, invalidRefresh(errors.New("refresh token expired"))
		}
		refresh, nextHash := tokens.NewRefresh()
		next := domain.RefreshToken{ID: uuid.NewString(), UserID: cur.UserID, FamilyID: cur.FamilyID,
			FamilyStartedAt: cur.FamilyStartedAt, Hash: nextHash, ExpiresAt: id.Sessions.ExpiresAt(cur.FamilyStartedAt, now)}
		err = id.Store.RotateRefreshToken(ctx, cur.ID, next,
			domain.Rotation{At: now, By: client, SuccessorSealed: tokens.SealSuccessor(token, refresh)})
		if errors.Is(err, domain.ErrNotLive) {
			continue
		}
		if err != nil {
			return domain.Tokens{}, false, err
		}
		t, err := id.issueFor(ctx, cur.UserID, refresh)
		return t, false, err
	}
	return domain.Tokens{}, false, invalidRefresh(errors.New("refresh token changed state twice"))
}

// replay answers a rotated token presented again: within the grace, the
// successor it was exchanged for (the seal is taken, so only once);
// otherwise theft, and the family is revoked.
func (id *Identity) replay(ctx context.Context, token string, cur domain.RefreshToken, client string, now time.Time) (domain.Tokens, error) {
	if cur.Replayable(client, now, id.RefreshGrace) {
		sealed, ok, err := id.Store.TakeSuccessorSeal(ctx, cur.ID)
		if err != nil {
			return domain.Tokens{}, err
		}
		if successor, opened := tokens.OpenSuccessor(token, sealed); ok && opened {
			return id.issueFor(ctx, cur.UserID, successor)
		}
	}
	if err := id.Store.RevokeFamily(ctx, cur.FamilyID, now); err != nil {
		return domain.Tokens{}, err
	}
	return domain.Tokens{}, invalidRefresh(ErrRefreshReused)
}

// issueFor pairs refresh with an access token for the account userID as it
// is now; a deleted account gets the usual invalid-token answer.
func (id *Identity) issueFor(ctx context.Context, userID, refresh string) (domain.Tokens, error) {
	u, err := id.Store.UserByID(ctx, userID)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Tokens{}, invalidRefresh(errors.New("account deleted"))
	}
	if err != nil {
		return domain.Tokens{}, err
	}
	return id.issue(u, refresh)
}

// clientKey is how a client is recognised for the grace: the same key as
// for throttling, "" when the address is unknown.
func clientKey(client netip.Addr) string {
	if !client.IsValid() {
		return ""
	}
	return domain.AddressKey(client)
}
