package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// CreateRefreshToken stores a token that starts a new family (sign-in).
func (s *Store) CreateRefreshToken(ctx context.Context, t domain.RefreshToken) error {
	return pg.Classify(insertRefreshToken(ctx, s.pool, t))
}

// RefreshToken returns the token whose hash is hash, in whatever state it
// is, with whether its successor (if any) is live (domain.ErrNotFound when none).
func (s *Store) RefreshToken(ctx context.Context, hash []byte) (domain.RefreshToken, error) {
	var t domain.RefreshToken
	var revokedAt *time.Time
	err := s.pool.QueryRow(ctx, `SELECT t.id::text, t.user_id::text, t.family_id::text, t.family_started_at,
			t.token_hash, t.expires_at, t.revoked_at, coalesce(t.replaced_by::text, ''), coalesce(t.rotated_by, ''), t.successor_sealed,
			n.id IS NOT NULL AND n.revoked_at IS NULL
		FROM refresh_tokens t LEFT JOIN refresh_tokens n ON n.id = t.replaced_by
		WHERE t.token_hash = $1`, hash).
		Scan(&t.ID, &t.UserID, &t.FamilyID, &t.FamilyStartedAt, &t.Hash, &t.ExpiresAt, &revokedAt, &t.ReplacedBy, &t.RotatedBy,
			&t.SuccessorSealed, &t.SuccessorLive)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.RefreshToken{}, domain.ErrNotFound
	}
	t.RevokedAt = orZero(revokedAt)
	return t, pg.Classify(err)
}

// RotateRefreshToken revokes the live token currentID as r records and
// stores next, its successor, in one transaction. When currentID is no
// longer live (a concurrent rotation or a sign-out won), nothing changes and
// the error is domain.ErrNotLive: a token is rotated at most once.
func (s *Store) RotateRefreshToken(ctx context.Context, currentID string, next domain.RefreshToken, r domain.Rotation) error {
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := insertRefreshToken(ctx, tx, next); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2, replaced_by = $3, rotated_by = $4, successor_sealed = $5
			WHERE id = $1 AND revoked_at IS NULL`, currentID, r.At, next.ID, nullIfEmpty(r.By), r.SuccessorSealed)
		if err == nil && tag.RowsAffected() == 0 {
			return domain.ErrNotLive // rolls the insert back
		}
		return err
	})
}

// TakeSuccessorSeal removes and returns the sealed successor of the rotated
// token id; ok is false when it is gone (taken by a concurrent caller, or
// swept), so at most one caller ever gets it.
func (s *Store) TakeSuccessorSeal(ctx context.Context, id string) (sealed []byte, ok bool, err error) {
	err = s.pool.QueryRow(ctx, `UPDATE refresh_tokens t SET successor_sealed = NULL
		FROM (SELECT id, successor_sealed FROM refresh_tokens WHERE id = $1 AND successor_sealed IS NOT NULL FOR UPDATE) old
		WHERE t.id = old.id RETURNING old.successor_sealed`, id).Scan(&sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, pg.Classify(err)
	}
	return sealed, true, nil
}

// DeleteSuccessorSeals removes up to limit seals of tokens rotated before
// before: past the grace they are useless, and dropping them soon keeps
// the window in which a copy of the database plus an old token could
// yield a live one short.
func (s *Store) DeleteSuccessorSeals(ctx context.Context, before time.Time, limit int) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE refresh_tokens SET successor_sealed = NULL WHERE id IN
		(SELECT id FROM refresh_tokens WHERE successor_sealed IS NOT NULL AND revoked_at < $1 LIMIT $2)`, before, limit)
	if err != nil {
		return 0, pg.Classify(err)
	}
	return int(tag.RowsAffected()), nil
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

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func insertRefreshToken(ctx context.Context, db execer, t domain.RefreshToken) error {
	_, err := db.Exec(ctx, `INSERT INTO refresh_tokens (id, user_id, family_id, family_started_at, token_hash, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.ID, t.UserID, t.FamilyID, t.FamilyStartedAt, t.Hash, t.ExpiresAt)
	return err
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
