// Package compliance is the continuous compliance report: every pass it
// lists the cluster's workloads and asks the API server whether each would
// be admitted today, by creating a copy in a scratch namespace as a dry
// run, where the project's admission policies are bound with the Warn
// action. The policies stay the one source of the rules; what predates a
// rule or runs where it is not enforced is reported as metrics and logs.
package compliance

import (
	"errors"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
)

// Config is the reporter's configuration, from the environment.
type Config struct {
	// Interval is the time between passes. A pass costs one dry-run
	// create per workload, so minutes, not seconds, in a real cluster.
	Interval time.Duration `env:"COMPLIANCE_INTERVAL" default:"5m"`
	// Timeout bounds one pass.
	Timeout time.Duration `env:"COMPLIANCE_TIMEOUT" default:"2m"`
	// ScratchNamespace is where the copies are created as dry runs: it
	// carries the label that binds the admission policies with Warn.
	ScratchNamespace string `env:"COMPLIANCE_SCRATCH_NAMESPACE" default:"shipshape-compliance-scratch"`
	AdminAddr        string `env:"COMPLIANCE_ADMIN_ADDR" default:":9090"`
	LogLevel         string `env:"LOG_LEVEL" default:"info"`

	API kubeapi.Config
}

// Validate reports every bad setting by its variable name.
func (c Config) Validate() error {
	var errs []error
	if c.Interval < time.Second {
		errs = append(errs, config.Errorf("COMPLIANCE_INTERVAL", "must be at least 1s, got %s", c.Interval))
	}
	if c.Timeout <= 0 {
		errs = append(errs, config.Errorf("COMPLIANCE_TIMEOUT", "must be positive, got %s", c.Timeout))
	}
	if c.ScratchNamespace == "" {
		errs = append(errs, config.Errorf("COMPLIANCE_SCRATCH_NAMESPACE", "must not be empty"))
	}
	if err := config.CheckAddr("COMPLIANCE_ADMIN_ADDR", c.AdminAddr); err != nil {
		errs = append(errs, err)
	}
	if _, err := logging.ParseLevel(c.LogLevel); err != nil {
		errs = append(errs, config.Errorf("LOG_LEVEL", "%v", err))
	}
	return errors.Join(errs...)
}
