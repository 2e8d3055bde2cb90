package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// ChangeSignInFailures locks the counters of keys (a missing one starts at
// zero), passes them to change, and stores what it returns, in one
// transaction: concurrent sign-ins on any replica apply one after another.
// An error from change rolls everything back and is returned as is.
func (s *Store) ChangeSignInFailures(ctx context.Context, keys []domain.ThrottleKey,
	change func([]domain.SignInFailures) ([]domain.SignInFailures, error)) error {
	// One lock order for everyone, so two sign-ins cannot deadlock.
	keys = slices.SortedFunc(slices.Values(keys), func(a, b domain.ThrottleKey) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key))
	})
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		current := make([]domain.SignInFailures, len(keys))
		for i, k := range keys {
			c := domain.SignInFailures{Key: k}
			var lastAt, blockedUntil *time.Time
			// The no-op update locks an existing row; the insert creates one.
			if err := tx.QueryRow(ctx, `INSERT INTO signin_failures (kind, key) VALUES ($1, $2)
				ON CONFLICT (kind, key) DO UPDATE SET failures = signin_failures.failures
				RETURNING failures, last_at, blocked_until`, k.Kind, k.Key).Scan(&c.Failures, &lastAt, &blockedUntil); err != nil {
				return err
			}
			c.LastAt, c.BlockedUntil = orZero(lastAt), orZero(blockedUntil)
			current[i] = c
		}
		next, err := change(current)
		if err != nil {
			return err
		}
		for _, c := range next {
			if _, err := tx.Exec(ctx, `UPDATE signin_failures SET failures = $3, last_at = $4, blocked_until = $5
				WHERE kind = $1 AND key = $2`, c.Key.Kind, c.Key.Key, c.Failures, orNull(c.LastAt), orNull(c.BlockedUntil)); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteSignInFailures removes up to limit counters last touched before
// before and no longer blocking.
func (s *Store) DeleteSignInFailures(ctx context.Context, before time.Time, limit int) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM signin_failures WHERE (kind, key) IN
		(SELECT kind, key FROM signin_failures
		 WHERE (last_at < $1 OR last_at IS NULL) AND (blocked_until < $1 OR blocked_until IS NULL) LIMIT $2)`, before, limit)
	if err != nil {
		return 0, pg.Classify(err)
	}
	return int(tag.RowsAffected()), nil
}

func orZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func orNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
