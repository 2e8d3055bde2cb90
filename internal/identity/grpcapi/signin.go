package grpcapi

import (
	"context"
	"unicode/utf8"

	"github.com/google/uuid"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// invalidCredentials is the one answer for an unknown e-mail and a wrong
// password alike.
func invalidCredentials() error {
	return apperr.New(apperr.KindUnauthenticated, "invalid email or password")
}

// SignIn checks the password and starts a session: an access token and the
// first refresh token of a new family.
func (s *Server) SignIn(ctx context.Context, req *identityv1.SignInRequest) (*identityv1.SignInResponse, error) {
	var v apperr.Violations
	email, reason := domain.NormalizeEmail(req.GetEmail())
	if reason != "" {
		v.Add("email", reason)
	}
	switch pw := req.GetPassword(); {
	case pw == "":
		v.Add("password", "is required")
	case utf8.RuneCountInString(pw) > domain.MaxPasswordLen:
		v.Add("password", "must be at most 128 characters")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	u, err := s.authenticate(ctx, email, req.GetPassword())
	s.Metrics.signIn(err)
	if err != nil {
		return nil, err
	}
	access, err := s.Access.Issue(u)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	refresh, hash := tokens.NewRefresh()
	if err := s.Store.CreateRefreshToken(ctx, domain.RefreshToken{ID: uuid.NewString(), UserID: u.ID,
		FamilyID: uuid.NewString(), Hash: hash, ExpiresAt: s.now().Add(s.RefreshTTL)}); err != nil {
		return nil, err
	}
	return &identityv1.SignInResponse{Tokens: s.tokens(access, refresh)}, nil
}

// authenticate returns the account if password is right. An unknown e-mail
// still costs one full argon2id verification, so the response time does not
// tell an attacker which e-mails have accounts.
func (s *Server) authenticate(ctx context.Context, email, password string) (domain.User, error) {
	u, err := s.Store.UserByEmail(ctx, email)
	if apperr.Is(err, apperr.KindNotFound) {
		if err := s.Hasher.VerifyDummy(ctx, password); err != nil {
			return domain.User{}, err
		}
		return domain.User{}, invalidCredentials()
	}
	if err != nil {
		return domain.User{}, err
	}
	match, rehash, err := s.Hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return domain.User{}, apperr.Internal(err)
	}
	if !match {
		return domain.User{}, invalidCredentials()
	}
	if rehash {
		s.upgradeHash(ctx, u, password)
	}
	return u, nil
}

// upgradeHash re-hashes with the current parameters, now that the password
// is known to be right. A failure only postpones it to the next sign-in.
func (s *Server) upgradeHash(ctx context.Context, u domain.User, password string) {
	fresh, err := s.Hasher.Hash(ctx, password)
	if err == nil {
		err = s.Store.ReplacePasswordHash(ctx, u.ID, u.PasswordHash, fresh)
	}
	if err != nil {
		s.Logger.WarnContext(ctx, "password re-hash failed", "user", u.ID, "error", err)
		return
	}
	s.Metrics.rehashes.Inc()
}

func (s *Server) tokens(access, refresh string) *identityv1.Tokens {
	return &identityv1.Tokens{AccessToken: access, RefreshToken: refresh,
		ExpiresIn: int32(s.Access.TTL().Seconds()), TokenType: "Bearer"}
}
