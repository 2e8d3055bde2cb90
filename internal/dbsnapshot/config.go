// Package dbsnapshot takes a VolumeSnapshot of the PostgreSQL leader's data
// volume and prunes old ones: one run per invocation, meant for a CronJob.
// It speaks to the Kubernetes API with net/http only, as the pod's service
// account.
package dbsnapshot

import (
	"errors"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
)

// Config is one run's configuration. The env-tagged fields come from the
// environment; the rest are for tests and default to the in-cluster setup.
type Config struct {
	// Namespace holds the database; empty means the service account's own.
	Namespace string `env:"SNAPSHOT_NAMESPACE"`
	// LeaderSelector matches exactly the leader pod: Patroni labels it.
	LeaderSelector string `env:"SNAPSHOT_LEADER_SELECTOR" default:"app.kubernetes.io/name=postgres,shipshape.dev/postgres-role=master"`
	// ClaimTemplate is the StatefulSet's volumeClaimTemplate name, so the
	// leader's PVC is "<ClaimTemplate>-<pod>".
	ClaimTemplate string        `env:"SNAPSHOT_CLAIM_TEMPLATE" default:"data"`
	Class         string        `env:"SNAPSHOT_CLASS" default:"shipshape-database"`
	Keep          int           `env:"SNAPSHOT_KEEP" default:"7"`
	Timeout       time.Duration `env:"SNAPSHOT_TIMEOUT" default:"2m"`

	// API is the API server and the credentials (validated on its own).
	API           kubeapi.Config
	NamespaceFile string // for tests; default the service account's
}

// Validate reports every bad setting by its variable name.
func (c Config) Validate() error {
	var errs []error
	if c.Keep < 1 {
		errs = append(errs, config.Errorf("SNAPSHOT_KEEP", "must be at least 1, got %d", c.Keep))
	}
	if c.Timeout <= 0 {
		errs = append(errs, config.Errorf("SNAPSHOT_TIMEOUT", "must be positive, got %s", c.Timeout))
	}
	return errors.Join(errs...)
}

// namespace is the configured namespace or else the service account's.
func (c Config) namespace() (string, error) {
	if c.Namespace != "" {
		return c.Namespace, nil
	}
	ns, err := kubeapi.Namespace(c.NamespaceFile)
	if err != nil {
		return "", config.Errorf("SNAPSHOT_NAMESPACE", "not set, and %w", err)
	}
	return ns, nil
}
