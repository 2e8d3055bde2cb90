package app

import (
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// SignInThrottle limits password guessing (domain.ThrottlePolicy): after
// the free failures of an account or a client address, sign-in is refused
// for SIGNIN_BACKOFF, doubling per further failure up to
// SIGNIN_MAX_BACKOFF. The counters live in PostgreSQL, so every replica
// shares them.
type SignInThrottle struct {
	AccountFailures int           `env:"SIGNIN_ACCOUNT_FREE_FAILURES" default:"5"`
	AddressFailures int           `env:"SIGNIN_ADDRESS_FREE_FAILURES" default:"20"`
	Backoff         time.Duration `env:"SIGNIN_BACKOFF" default:"1s"`
	MaxBackoff      time.Duration `env:"SIGNIN_MAX_BACKOFF" default:"15m"`
	Window          time.Duration `env:"SIGNIN_FAILURE_WINDOW" default:"1h"`
}

// Validate checks what the types cannot.
func (t SignInThrottle) Validate() error {
	switch {
	case t.AccountFailures < 1 || t.AccountFailures > 1000:
		return config.Errorf("SIGNIN_ACCOUNT_FREE_FAILURES", "must be between 1 and 1000")
	case t.AddressFailures < 1 || t.AddressFailures > 100000:
		return config.Errorf("SIGNIN_ADDRESS_FREE_FAILURES", "must be between 1 and 100000")
	case t.Backoff < 100*time.Millisecond:
		return config.Errorf("SIGNIN_BACKOFF", "must be at least 100ms")
	case t.MaxBackoff < t.Backoff:
		return config.Errorf("SIGNIN_MAX_BACKOFF", "must be at least SIGNIN_BACKOFF")
	case t.Window < t.MaxBackoff:
		// A shorter window would forget a count while it still blocks.
		return config.Errorf("SIGNIN_FAILURE_WINDOW", "must be at least SIGNIN_MAX_BACKOFF")
	}
	return nil
}

// Policy is the settings as the use cases take them.
func (t SignInThrottle) Policy() domain.ThrottlePolicy {
	return domain.ThrottlePolicy{AccountAllowance: t.AccountFailures, AddressAllowance: t.AddressFailures,
		Backoff: t.Backoff, MaxBackoff: t.MaxBackoff, Window: t.Window}
}
