package usecase

import (
	"errors"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ErrRefreshReused is the cause of the refresh error when a token that was
// already exchanged comes back: someone holds a copy, so the whole family
// has been revoked.
var ErrRefreshReused = errors.New("rotated refresh token presented again")

// invalidCredentials is the one answer for an unknown e-mail and a wrong
// password alike.
func invalidCredentials() error {
	return apperr.New(apperr.KindUnauthenticated, "invalid email or password")
}

// invalidRefresh is the one answer for every unusable refresh token, so the
// client cannot tell unknown, expired, revoked and stolen apart; cause is
// only logged.
func invalidRefresh(cause error) error {
	return &apperr.Error{Kind: apperr.KindUnauthenticated, Message: "invalid refresh token", Err: cause}
}

func emailTaken() error {
	return &apperr.Error{Kind: apperr.KindAlreadyExists, Message: "an account with this e-mail exists",
		Fields: []apperr.FieldViolation{{Field: "email", Reason: "is already registered"}}}
}
