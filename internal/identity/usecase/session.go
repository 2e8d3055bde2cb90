package usecase

import (
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// issue signs an access token for u (its roles as they are now) and pairs
// it with refresh.
func (id *Identity) issue(u domain.User, refresh string) (domain.Tokens, error) {
	access, err := id.Access.Issue(u)
	if err != nil {
		return domain.Tokens{}, apperr.Internal(err)
	}
	return domain.Tokens{Access: access, Refresh: refresh, AccessTTL: id.Access.TTL()}, nil
}

// refreshHash validates the field: missing is InvalidArgument, anything we
// cannot have issued is the usual invalid-token answer.
func refreshHash(token string) ([]byte, error) {
	if token == "" {
		return nil, apperr.InvalidField("refreshToken", "is required")
	}
	hash, ok := tokens.HashRefresh(token)
	if !ok {
		return nil, invalidRefresh(nil)
	}
	return hash, nil
}
