// Package app wires catalog together: configuration, the serve, migrate and
// seed commands, and the reservation expiry sweeper.
package app

import (
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Config is catalog's whole configuration.
type Config struct {
	Common bootstrap.Common
	DB     pg.Config
	// SweepInterval is how often expired reservations return their stock.
	SweepInterval time.Duration `env:"RESERVATION_SWEEP_INTERVAL" default:"15s"`
	// ProductCacheTTL bounds how stale a product read may be; 0 disables
	// the cache. Reservations always read the database.
	ProductCacheTTL time.Duration `env:"PRODUCT_CACHE_TTL" default:"1s"`
}

// Validate checks settings the types cannot.
func (c Config) Validate() error {
	if c.SweepInterval <= 0 {
		return config.Errorf("RESERVATION_SWEEP_INTERVAL", "must be positive")
	}
	if c.ProductCacheTTL < 0 || c.ProductCacheTTL > time.Minute {
		return config.Errorf("PRODUCT_CACHE_TTL", "must be between 0 and 1m")
	}
	return nil
}
