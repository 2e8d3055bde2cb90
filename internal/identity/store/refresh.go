package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// ErrRefreshReused is the cause of the error Rotate returns when a token
// that was already exchanged is presented again: someone holds a copy, so
// the whole family has been revoked.
var ErrRefreshReused = errors.New("rotated refresh token presented again")

// invalidRefresh is the one answer for every unusable refresh token, so the
// client cannot tell unknown, expired, revoked and stolen apart.
func invalidRefresh(cause error) error {
	return &apperr.Error{Kind: apperr.KindUnauthenticated, Message: "invalid refresh token", Err: cause}
}

// InvalidRefresh is the error for a token the caller rejected before any
// lookup (malformed).
func InvalidRefresh() error { return invalidRefresh(nil) }

// CreateRefreshToken stores a token that starts a new family (sign-in).
func (s *Store) CreateRefreshToken(ctx context.Context, t domain.RefreshToken) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, t.ID, t.UserID, t.FamilyID, t.Hash, t.ExpiresAt)
	return pg.Classify(err)
}

// RotateRefreshToken redeems the token with hash presented: it is revoked
// and replaced by next (same user and family) and the user is returned with
// current roles. The presented row is locked, so of two concurrent
// redemptions the second sees the first's result and counts as reuse.
func (s *Store) RotateRefreshToken(ctx context.Context, presented []byte, next domain.RefreshToken) (domain.User, error) {
	var u domain.User
	var reused bool
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var id, userID, familyID string
		var expiresAt time.Time
		var revokedAt *time.Time
		var replacedBy *string
		err := tx.QueryRow(ctx, `SELECT id::text, user_id::text, family_id::text, expires_at, revoked_at, replaced_by::text
			FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, presented).
			Scan(&id, &userID, &familyID, &expiresAt, &revokedAt, &replacedBy)
		now := s.now()
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return invalidRefresh(errors.New("unknown refresh token"))
		case err != nil:
			return err
		case revokedAt != nil && replacedBy != nil:
			// Commit the revocation, then report the failure.
			reused = true
			return revokeFamily(ctx, tx, familyID, now)
		case revokedAt != nil:
			return invalidRefresh(errors.New("refresh token revoked"))
		case !expiresAt.After(now):
			return invalidRefresh(errors.New("refresh token expired"))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, next.ID, userID, familyID, next.Hash, next.ExpiresAt); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2, replaced_by = $3 WHERE id = $1`,
			id, now, next.ID); err != nil {
			return err
		}
		u, err = userByID(ctx, tx, userID)
		return err
	})
	if err == nil && reused {
		err = invalidRefresh(ErrRefreshReused)
	}
	return u, err
}

// RevokeFamily ends the session the token with hash belongs to. Unknown
// tokens and revoked families are no-ops (sign-out is idempotent).
func (s *Store) RevokeFamily(ctx context.Context, hash []byte) error {
	_, err := s.pool.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2
		WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL`, hash, s.now())
	return pg.Classify(err)
}

func revokeFamily(ctx context.Context, tx pgx.Tx, familyID string, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, familyID, now)
	return err
}

// DeleteExpiredRefreshTokens removes up to limit tokens that expired before
// before; they can no longer be redeemed, so keeping them only costs space.
func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, before time.Time, limit int) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM refresh_tokens WHERE id IN
		(SELECT id FROM refresh_tokens WHERE expires_at < $1 LIMIT $2)`, before, limit)
	if err != nil {
		return 0, pg.Classify(err)
	}
	return int(tag.RowsAffected()), nil
}
