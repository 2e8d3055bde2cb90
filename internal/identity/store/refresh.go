package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

const refreshColumns = `id::text, user_id::text, family_id::text, token_hash, expires_at, revoked_at,
	coalesce(replaced_by::text, '')`

// CreateRefreshToken stores a token that starts a new family (sign-in).
func (s *Store) CreateRefreshToken(ctx context.Context, t domain.RefreshToken) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, t.ID, t.UserID, t.FamilyID, t.Hash, t.ExpiresAt)
	return pg.Classify(err)
}

// RefreshToken returns the token whose hash is hash, in whatever state it
// is (ErrNotFound when none).
func (s *Store) RefreshToken(ctx context.Context, hash []byte) (domain.RefreshToken, error) {
	var t domain.RefreshToken
	var revokedAt *time.Time
	err := s.pool.QueryRow(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE token_hash = $1`, hash).
		Scan(&t.ID, &t.UserID, &t.FamilyID, &t.Hash, &t.ExpiresAt, &revokedAt, &t.ReplacedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.RefreshToken{}, ErrNotFound
	}
	t.RevokedAt = orZero(revokedAt)
	return t, pg.Classify(err)
}

// RotateRefreshToken revokes the live token currentID at time at and
// stores next, its successor, in one transaction. When currentID is no
// longer live (a concurrent rotation or a sign-out won), nothing changes and
// the error is ErrNotLive: a token is rotated at most once.
func (s *Store) RotateRefreshToken(ctx context.Context, currentID string, next domain.RefreshToken, at time.Time) error {
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, next.ID, next.UserID, next.FamilyID, next.Hash, next.ExpiresAt); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2, replaced_by = $3
			WHERE id = $1 AND revoked_at IS NULL`, currentID, at, next.ID)
		if err == nil && tag.RowsAffected() == 0 {
			return ErrNotLive // rolls the insert back
		}
		return err
	})
}

// RevokeFamily revokes every live token of a family at time at (sign-out,
// theft). Revoking a revoked family changes nothing.
func (s *Store) RevokeFamily(ctx context.Context, familyID string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
		familyID, at)
	return pg.Classify(err)
}

// DeleteExpiredRefreshTokens removes up to limit tokens that expired before
// before.
func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, before time.Time, limit int) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM refresh_tokens WHERE id IN
		(SELECT id FROM refresh_tokens WHERE expires_at < $1 LIMIT $2)`, before, limit)
	if err != nil {
		return 0, pg.Classify(err)
	}
	return int(tag.RowsAffected()), nil
}
