// Package app wires identity together: configuration, keys, and the serve,
// migrate and grant-admin commands.
package app

import (
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Config is identity's whole configuration. JWT_ISSUER and JWT_AUDIENCE
// (Common.Auth) go into the tokens identity issues.
type Config struct {
	Common bootstrap.Common
	DB     pg.Config
	// SigningKeyFile is the PEM P-256 private key that signs access tokens
	// (mounted from a Secret; `openssl genpkey -algorithm EC -pkeyopt
	// ec_paramgen_curve:P-256` makes one).
	SigningKeyFile string `env:"JWT_SIGNING_KEY_FILE" required:"true"`
	// PreviousKeyFiles are earlier keys (private or public PEM): published
	// and accepted until the tokens they signed have expired, never used to
	// sign.
	PreviousKeyFiles []string      `env:"JWT_PREVIOUS_KEY_FILES"`
	AccessTokenTTL   time.Duration `env:"ACCESS_TOKEN_TTL" default:"15m"`
	RefreshTokenTTL  time.Duration `env:"REFRESH_TOKEN_TTL" default:"720h"`
	// SessionMaxLifetime ends a session (a refresh-token family) this long
	// after its sign-in, however often it was refreshed.
	SessionMaxLifetime time.Duration `env:"SESSION_MAX_LIFETIME" default:"720h"`
	// RefreshGrace is how long the client that rotated a refresh token may
	// repeat it and get the same successor (once): replicas of one client
	// racing to refresh one session. 0 turns it off.
	RefreshGrace time.Duration `env:"REFRESH_GRACE" default:"10s"`
	SignIn       SignInThrottle
	// Now is the use cases' clock, not configuration: tests set it to move
	// time; nil is the wall clock.
	Now func() time.Time
	// ServiceTokens: which services may exchange credentials for service
	// tokens, and their lifetime (SERVICE_CLIENTS_FILE, SERVICE_TOKEN_TTL).
	ServiceTokens ServiceTokenConfig
}

// Validate checks settings the types cannot.
func (c Config) Validate() error {
	// Access tokens cannot be revoked, so their lifetime bounds how long a
	// stolen one or a removed role keeps working.
	if c.AccessTokenTTL < 10*time.Second || c.AccessTokenTTL > 24*time.Hour {
		return config.Errorf("ACCESS_TOKEN_TTL", "must be between 10s and 24h")
	}
	if c.RefreshTokenTTL <= c.AccessTokenTTL || c.RefreshTokenTTL > 8760*time.Hour {
		return config.Errorf("REFRESH_TOKEN_TTL", "must be longer than ACCESS_TOKEN_TTL and at most 8760h")
	}
	if c.SessionMaxLifetime < c.RefreshTokenTTL || c.SessionMaxLifetime > 8760*time.Hour {
		return config.Errorf("SESSION_MAX_LIFETIME", "must be at least REFRESH_TOKEN_TTL and at most 8760h")
	}
	// Longer would let a stolen token that is replayed quickly from the
	// victim's network pass for the victim.
	if c.RefreshGrace < 0 || c.RefreshGrace > time.Minute {
		return config.Errorf("REFRESH_GRACE", "must be between 0s and 1m")
	}
	return nil
}
