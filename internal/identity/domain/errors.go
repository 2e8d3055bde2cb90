package domain

import "errors"

// Sentinel errors the store returns. They say what happened to the data;
// what that means to a client (code, message, field) is the use cases'
// business.
var (
	// ErrNotFound: no account or refresh token matches.
	ErrNotFound = errors.New("not found")
	// ErrEmailTaken: another account has the e-mail.
	ErrEmailTaken = errors.New("e-mail already registered")
	// ErrNotLive: the refresh token was rotated or revoked meanwhile.
	ErrNotLive = errors.New("refresh token no longer live")
)
