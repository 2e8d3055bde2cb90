// Package listeners assembles a service's three listeners (gRPC, REST facade,
// admin) from the chassis parts and runs the graceful shutdown sequence.
package listeners

import (
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// Config holds the listener and shutdown settings every service shares.
type Config struct {
	HTTPAddr  string `env:"HTTP_ADDR" default:":8080"`
	GRPCAddr  string `env:"GRPC_ADDR" default:":9090"`
	AdminAddr string `env:"ADMIN_ADDR" default:":9091"`
	// DrainDelay keeps serving after readiness turns false, long enough for
	// load balancers and kube-proxy to stop sending new requests here.
	DrainDelay time.Duration `env:"SHUTDOWN_DRAIN_DELAY" default:"5s"`
	// ShutdownTimeout bounds finishing in-flight requests after the drain.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" default:"15s"`
	// HealthInterval is how often gRPC health status is re-evaluated.
	HealthInterval time.Duration `env:"HEALTH_INTERVAL" default:"2s"`
	// Reflection serves gRPC server reflection, so generic clients
	// (grpcurl, Postman) can list and call methods without the .proto
	// files. On in development; off elsewhere, where it would describe the
	// whole API to anyone who reaches the port.
	Reflection bool `env:"GRPC_REFLECTION" default:"false"`
	// HTTPMaxConnectionAge closes the REST facade's kept-alive connections
	// once they are this old (after a response), so that callers
	// reconnect and pods that joined since get their share (connage.go);
	// 0 never closes them.
	HTTPMaxConnectionAge time.Duration `env:"HTTP_MAX_CONNECTION_AGE" default:"30s"`
	// FaultErrorRatio is the fault switch of release tests (package
	// fault): this share of calls fails with Unavailable. 0, off, unless
	// a test turns it on; staging and production may not set it.
	FaultErrorRatio float64 `env:"FAULT_ERROR_RATIO" default:"0"`
}

// Validate reports every bad setting by its variable name.
func (c Config) Validate() error {
	var errs []error
	for name, addr := range map[string]string{"HTTP_ADDR": c.HTTPAddr, "GRPC_ADDR": c.GRPCAddr, "ADMIN_ADDR": c.AdminAddr} {
		if err := config.CheckAddr(name, addr); err != nil {
			errs = append(errs, err)
		}
	}
	if c.DrainDelay < 0 {
		errs = append(errs, config.Errorf("SHUTDOWN_DRAIN_DELAY", "must not be negative"))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, config.Errorf("SHUTDOWN_TIMEOUT", "must be positive"))
	}
	if c.HealthInterval <= 0 {
		errs = append(errs, config.Errorf("HEALTH_INTERVAL", "must be positive"))
	}
	if c.HTTPMaxConnectionAge < 0 {
		errs = append(errs, config.Errorf("HTTP_MAX_CONNECTION_AGE", "must not be negative"))
	}
	if c.FaultErrorRatio < 0 || c.FaultErrorRatio > 1 {
		errs = append(errs, config.Errorf("FAULT_ERROR_RATIO", "must be between 0 and 1"))
	}
	return joinSorted(errs)
}
