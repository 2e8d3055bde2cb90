package store

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

const userColumns = `id::text, email, name, roles, password_hash, created_at`

// CreateUser inserts a validated account; a taken e-mail is domain.ErrEmailTaken.
func (s *Store) CreateUser(ctx context.Context, nu domain.NewUser) (domain.User, error) {
	row := s.pool.QueryRow(ctx, `INSERT INTO users (id, email, name, password_hash, roles)
		VALUES ($1, $2, $3, $4, $5) RETURNING `+userColumns, uuid.NewString(), nu.Email, nu.Name, nu.PasswordHash, nu.Roles)
	u, err := scanUser(row)
	if pg.IsUniqueViolation(err, "users_email_key") {
		return domain.User{}, domain.ErrEmailTaken
	}
	return u, pg.Classify(err)
}

// UserByEmail finds an account by its normalized e-mail (domain.ErrNotFound).
func (s *Store) UserByEmail(ctx context.Context, email string) (domain.User, error) {
	return oneUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
}

// UserByID finds an account by id (domain.ErrNotFound, also for a malformed id).
func (s *Store) UserByID(ctx context.Context, id string) (domain.User, error) {
	if !domain.ValidID(id) {
		return domain.User{}, domain.ErrNotFound
	}
	return oneUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
}

// ReplacePasswordHash swaps the stored hash for one with current parameters,
// unless the password changed meanwhile (then the newer hash stays).
func (s *Store) ReplacePasswordHash(ctx context.Context, id, oldHash, newHash string) error {
	_, err := s.pool.Exec(ctx, `UPDATE users SET password_hash = $3, updated_at = now()
		WHERE id = $1 AND password_hash = $2`, id, oldHash, newHash)
	return pg.Classify(err)
}

// GrantRole adds role to the account with email; changed is false when it
// already had it. An unknown e-mail is domain.ErrNotFound.
func (s *Store) GrantRole(ctx context.Context, email, role string) (changed bool, err error) {
	var had bool
	err = s.pool.QueryRow(ctx, `WITH old AS (SELECT id, $2 = ANY (roles) AS had FROM users WHERE email = $1 FOR UPDATE)
		UPDATE users u SET roles = CASE WHEN old.had THEN u.roles ELSE array_append(u.roles, $2) END,
		updated_at = CASE WHEN old.had THEN u.updated_at ELSE now() END
		FROM old WHERE u.id = old.id RETURNING old.had`, email, role).Scan(&had)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, domain.ErrNotFound
	}
	if err != nil {
		return false, pg.Classify(err)
	}
	return !had, nil
}

func oneUser(row pgx.Row) (domain.User, error) {
	u, err := scanUser(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.User{}, domain.ErrNotFound
	}
	return u, pg.Classify(err)
}

func scanUser(row pgx.Row) (domain.User, error) {
	var u domain.User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Roles, &u.PasswordHash, &u.CreateTime)
	return u, err
}
