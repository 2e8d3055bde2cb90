// Package app wires identity together: configuration, keys, and the serve,
// migrate and grant-admin commands.
package app

import (
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/servicetoken"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/service"
)

// Config is identity's whole configuration. JWT_ISSUER and JWT_AUDIENCE
// (Common.Auth) go into the tokens identity issues.
type Config struct {
	Common service.Common
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
	// ServiceTokens: which services may exchange credentials for service
	// tokens, and their lifetime (SERVICE_CLIENTS_FILE, SERVICE_TOKEN_TTL).
	ServiceTokens servicetoken.Config
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
	return nil
}
