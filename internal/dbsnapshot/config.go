// Package dbsnapshot takes a VolumeSnapshot of the PostgreSQL leader's data
// volume and prunes old ones: one run per invocation, meant for a CronJob.
// It speaks to the Kubernetes API with net/http only, as the pod's service
// account.
package dbsnapshot

import (
	"errors"
	"net"
	"os"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// The in-cluster service account files, used when the Config leaves the
// corresponding field empty.
const (
	serviceAccountDir    = "/var/run/secrets/kubernetes.io/serviceaccount/"
	defaultTokenFile     = serviceAccountDir + "token"
	defaultCAFile        = serviceAccountDir + "ca.crt"
	defaultNamespaceFile = serviceAccountDir + "namespace"
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

	// Set by the kubelet in every pod; they make up the API server's URL.
	ServiceHost string `env:"KUBERNETES_SERVICE_HOST"`
	ServicePort string `env:"KUBERNETES_SERVICE_PORT" default:"443"`

	APIURL        string // overrides ServiceHost/ServicePort
	TokenFile     string
	CAFile        string
	NamespaceFile string
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
	if c.APIURL == "" && c.ServiceHost == "" {
		errs = append(errs, config.Errorf("KUBERNETES_SERVICE_HOST", "not set: not running in a Kubernetes pod?"))
	}
	return errors.Join(errs...)
}

// baseURL is the API server's URL; JoinHostPort brackets an IPv6 host.
func (c Config) baseURL() string {
	if c.APIURL != "" {
		return strings.TrimRight(c.APIURL, "/")
	}
	return "https://" + net.JoinHostPort(c.ServiceHost, c.ServicePort)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// namespace is the configured namespace or else the service account's.
func (c Config) namespace() (string, error) {
	if c.Namespace != "" {
		return c.Namespace, nil
	}
	b, err := os.ReadFile(orDefault(c.NamespaceFile, defaultNamespaceFile))
	if err != nil {
		return "", config.Errorf("SNAPSHOT_NAMESPACE", "not set, and the service account's namespace is unreadable: %w", err)
	}
	ns := strings.TrimSpace(string(b))
	if ns == "" {
		return "", config.Errorf("SNAPSHOT_NAMESPACE", "not set, and the service account's namespace file is empty")
	}
	return ns, nil
}
