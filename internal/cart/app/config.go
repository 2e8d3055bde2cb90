// Package app wires cart together: configuration, the serve and migrate
// commands, the catalog connection.
package app

import (
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// Config is cart's whole configuration.
type Config struct {
	Common bootstrap.Common
	DB     pg.Config
	// CatalogTarget is catalog's gRPC address: "dns:///catalog:9090" in a
	// cluster (round robin over the headless Service), host:port locally.
	CatalogTarget string `env:"CATALOG_GRPC_TARGET" required:"true"`
	// CatalogTimeout bounds each catalog call, retries included, when the
	// incoming request has no earlier deadline.
	CatalogTimeout time.Duration `env:"CATALOG_TIMEOUT" default:"2s"`
	// ServiceClient, when set, makes cart identify itself to catalog with a
	// service token (docs/adr/0014). Product lookups are public and work
	// without one.
	ServiceClient servicetoken.ClientConfig
}

// Validate checks settings the types cannot.
func (c Config) Validate() error {
	if c.CatalogTimeout <= 0 || c.CatalogTimeout > 30*time.Second {
		return config.Errorf("CATALOG_TIMEOUT", "must be positive and at most 30s")
	}
	return nil
}
