package authtest

import (
	"context"
	"crypto/subtle"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// StaticToken is an Authenticator for tests that need a caller but no JWTs:
// exactly Token authenticates as Principal; with an empty Token nothing does.
type StaticToken struct {
	Token     string
	Principal auth.Principal
}

// Authenticate compares in constant time.
func (s StaticToken) Authenticate(_ context.Context, token string) (auth.Principal, error) {
	if s.Token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.Token)) != 1 {
		return auth.Principal{}, apperr.New(apperr.KindUnauthenticated, "invalid token")
	}
	return s.Principal, nil
}
