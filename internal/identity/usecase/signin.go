package usecase

import (
	"context"
	"errors"
	"net/netip"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Credentials are what a client signs in with, and from where.
type Credentials struct {
	Email    string
	Password string
	// Client is the end client's address; the zero value when unknown.
	Client netip.Addr
}

// SignIn checks the password and starts a session: an access token and the
// first refresh token of a new family. Failures are counted per account and
// per client address (see domain.ThrottlePolicy); while either is blocked
// the sign-in is refused before the password is looked at.
func (id *Identity) SignIn(ctx context.Context, c Credentials) (domain.Tokens, error) {
	email, err := validateCredentials(c)
	if err != nil {
		return domain.Tokens{}, err
	}
	keys := throttleKeys(email, c.Client)
	if err := id.countAttempt(ctx, keys); err != nil {
		id.Metrics.signIn(err)
		return domain.Tokens{}, err
	}
	u, err := id.authenticate(ctx, email, c.Password)
	id.Metrics.signIn(err)
	if err != nil {
		return domain.Tokens{}, err
	}
	id.takeBack(ctx, keys)
	refresh, hash := tokens.NewRefresh()
	now := id.Now()
	if err := id.Store.CreateRefreshToken(ctx, domain.RefreshToken{ID: uuid.NewString(), UserID: u.ID,
		FamilyID: uuid.NewString(), FamilyStartedAt: now, Hash: hash, ExpiresAt: id.Sessions.ExpiresAt(now, now)}); err != nil {
		return domain.Tokens{}, err
	}
	return id.issue(u, refresh)
}

// validateCredentials returns the normalized e-mail, or every field problem.
func validateCredentials(c Credentials) (string, error) {
	var v apperr.Violations
	email, reason := domain.NormalizeEmail(c.Email)
	if reason != "" {
		v.Add("email", reason)
	}
	switch pw := c.Password; {
	case pw == "":
		v.Add("password", "is required")
	case utf8.RuneCountInString(pw) > domain.MaxPasswordLen:
		v.Add("password", "must be at most 128 characters")
	}
	return email, v.Err()
}

// authenticate returns the account if password is right. An unknown e-mail
// still costs one full argon2id verification, so the response time does not
// tell an attacker which e-mails have accounts.
func (id *Identity) authenticate(ctx context.Context, email, password string) (domain.User, error) {
	u, err := id.Store.UserByEmail(ctx, email)
	if errors.Is(err, domain.ErrNotFound) {
		if err := id.Hasher.VerifyDummy(ctx, password); err != nil {
			return domain.User{}, err
		}
		return domain.User{}, invalidCredentials()
	}
	if err != nil {
		return domain.User{}, err
	}
	match, rehash, err := id.Hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return domain.User{}, apperr.Internal(err)
	}
	if !match {
		return domain.User{}, invalidCredentials()
	}
	if rehash {
		id.upgradeHash(ctx, u, password)
	}
	return u, nil
}

// upgradeHash re-hashes with the current parameters, now that the password
// is known to be right. A failure only postpones it to the next sign-in.
func (id *Identity) upgradeHash(ctx context.Context, u domain.User, password string) {
	fresh, err := id.Hasher.Hash(ctx, password)
	if err == nil {
		err = id.Store.ReplacePasswordHash(ctx, u.ID, u.PasswordHash, fresh)
	}
	if err != nil {
		id.Logger.WarnContext(ctx, "password re-hash failed", "user", u.ID, "error", err)
		return
	}
	id.Metrics.rehashes.Inc()
}
