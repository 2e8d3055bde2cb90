// Package app wires orders together: configuration, clients of cart and
// catalog, the payment provider, the recovery loop and the commands.
package app

import (
	"errors"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// Config is orders' whole configuration.
type Config struct {
	Common           bootstrap.Common
	DB               pg.Config
	CatalogTarget    string        `env:"CATALOG_GRPC_TARGET" required:"true"`
	CartTarget       string        `env:"CART_GRPC_TARGET" required:"true"`
	UpstreamTimeout  time.Duration `env:"UPSTREAM_TIMEOUT" default:"3s"`
	RecoveryInterval time.Duration `env:"RECOVERY_INTERVAL" default:"10s"`
	// RecoveryGrace is the checkout lease: a request working on a checkout
	// renews it every quarter of it, so recovery undoes a checkout only
	// this long after its request died.
	RecoveryGrace time.Duration `env:"RECOVERY_GRACE" default:"1m"`
	// CheckoutConcurrency bounds the checkouts that call cart, catalog and
	// the payment provider at once in one replica; more wait for a turn.
	CheckoutConcurrency int `env:"CHECKOUT_CONCURRENCY" default:"8"`
	// Failpoint crashes the process at a named point of checkout
	// ("after-reserve", "after-charge"). For crash tests only; never set it
	// in a deployment.
	Failpoint string `env:"ORDERS_FAILPOINT"`
	// ServiceClient gets orders its service token, without which catalog
	// refuses the stock calls (docs/adr/0014).
	ServiceClient servicetoken.ClientConfig
}

// Validate checks what the types cannot.
func (c Config) Validate() error {
	var errs []error
	if c.UpstreamTimeout <= 0 {
		errs = append(errs, config.Errorf("UPSTREAM_TIMEOUT", "must be positive"))
	}
	if c.RecoveryInterval <= 0 {
		errs = append(errs, config.Errorf("RECOVERY_INTERVAL", "must be positive"))
	}
	if c.RecoveryGrace <= 0 {
		errs = append(errs, config.Errorf("RECOVERY_GRACE", "must be positive"))
	}
	if err := c.ServiceClient.Required(); err != nil {
		errs = append(errs, err)
	}
	if c.CheckoutConcurrency < 1 {
		errs = append(errs, config.Errorf("CHECKOUT_CONCURRENCY", "must be at least 1"))
	}
	switch c.Failpoint {
	case "", "after-reserve", "after-charge":
	default:
		errs = append(errs, config.Errorf("ORDERS_FAILPOINT", "unknown failpoint %q", c.Failpoint))
	}
	return errors.Join(errs...)
}
