// Package dbagent is the sidecar beside Patroni in every PostgreSQL pod. It
// does the work only the current leader may do (service roles and
// databases, pgBackRest backups) and reports the backup repository's state
// from every member, so the alert works whichever member is scraped.
package dbagent

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
)

// Config is the agent's whole configuration, from the environment.
type Config struct {
	// PatroniURL is the local member's REST API; GET /primary says whether
	// this member leads.
	PatroniURL string `env:"DBAGENT_PATRONI_URL" default:"http://127.0.0.1:8008"`
	// DatabaseURL reaches the local PostgreSQL as a superuser; by default
	// peer authentication on the Unix socket, so no password is needed.
	DatabaseURL  string `env:"DBAGENT_DATABASE_URL" default:"host=/var/run/postgresql user=postgres dbname=postgres"`
	PasswordsDir string `env:"DBAGENT_PASSWORDS_DIR" default:"/var/run/secrets/shipshape/passwords"`
	Stanza       string `env:"DBAGENT_STANZA" default:"shipshape"`
	PgBackRest   string `env:"DBAGENT_PGBACKREST" default:"pgbackrest"`
	AdminAddr    string `env:"DBAGENT_ADMIN_ADDR" default:":9187"`

	CheckEvery    time.Duration `env:"DBAGENT_CHECK_EVERY" default:"30s"`
	RoleSyncEvery time.Duration `env:"DBAGENT_ROLE_SYNC_EVERY" default:"10m"`
	// FullBackupEvery and DiffBackupEvery are the longest a full backup,
	// and any backup, may be old before the leader takes a new one.
	FullBackupEvery  time.Duration `env:"DBAGENT_FULL_BACKUP_EVERY" default:"168h"`
	DiffBackupEvery  time.Duration `env:"DBAGENT_DIFF_BACKUP_EVERY" default:"24h"`
	BackupRetryAfter time.Duration `env:"DBAGENT_BACKUP_RETRY_AFTER" default:"5m"`

	// Member is this pod's name (the downward API). Set, the agent fences
	// the postgres Service (fence.go): while Patroni's leader lock names
	// this member, no other member's pod keeps the leader label. Empty
	// (outside Kubernetes), it does not.
	Member     string        `env:"DBAGENT_MEMBER"`
	FenceEvery time.Duration `env:"DBAGENT_FENCE_EVERY" default:"2s"`
	// LeaderLock is Patroni's leader ConfigMap, <scope>-leader; its
	// annotation "leader" names the member holding the lock.
	LeaderLock string `env:"DBAGENT_LEADER_LOCK" default:"shipshape-leader"`
	// MembersSelector finds this cluster's members; LeaderLabel is the
	// key=value Patroni puts on the leader's pod (patroni.yml's
	// role_label) and the postgres Service selects.
	MembersSelector string `env:"DBAGENT_MEMBERS_SELECTOR" default:"shipshape.dev/postgres-cluster=shipshape"`
	LeaderLabel     string `env:"DBAGENT_LEADER_LABEL" default:"shipshape.dev/postgres-role=master"`
	// API is the API server and the pod's credentials, checked only when
	// fencing: a kubeapi.Config without its methods, so that the config
	// loader does not run its Validate on every start.
	API           apiServer
	NamespaceFile string // for tests; default the service account's

	LogLevel string `env:"LOG_LEVEL" default:"info"`
}

// Validate reports every bad setting by its variable name.
func (c Config) Validate() error {
	var errs []error
	if u, err := url.Parse(c.PatroniURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, config.Errorf("DBAGENT_PATRONI_URL", "want http://host:port, got %q", c.PatroniURL))
	}
	if err := config.CheckAddr("DBAGENT_ADMIN_ADDR", c.AdminAddr); err != nil {
		errs = append(errs, err)
	}
	intervals := map[string]time.Duration{
		"DBAGENT_CHECK_EVERY":        c.CheckEvery,
		"DBAGENT_ROLE_SYNC_EVERY":    c.RoleSyncEvery,
		"DBAGENT_FULL_BACKUP_EVERY":  c.FullBackupEvery,
		"DBAGENT_DIFF_BACKUP_EVERY":  c.DiffBackupEvery,
		"DBAGENT_BACKUP_RETRY_AFTER": c.BackupRetryAfter,
	}
	// Sorted, so the joined message is stable.
	for _, name := range slices.Sorted(maps.Keys(intervals)) {
		if intervals[name] <= 0 {
			errs = append(errs, config.Errorf(name, "must be positive, got %s", intervals[name]))
		}
	}
	// A diff interval above the full one would never take a diff.
	if c.DiffBackupEvery > 0 && c.FullBackupEvery > 0 && c.FullBackupEvery < c.DiffBackupEvery {
		errs = append(errs, config.Errorf("DBAGENT_FULL_BACKUP_EVERY",
			"%s is shorter than DBAGENT_DIFF_BACKUP_EVERY (%s)", c.FullBackupEvery, c.DiffBackupEvery))
	}
	if c.Member != "" {
		errs = append(errs, c.validateFence()...)
	}
	if _, err := logging.ParseLevel(c.LogLevel); err != nil {
		errs = append(errs, config.Errorf("LOG_LEVEL", "%v", err))
	}
	return errors.Join(errs...)
}

func (c Config) validateFence() []error {
	var errs []error
	if c.FenceEvery <= 0 {
		errs = append(errs, config.Errorf("DBAGENT_FENCE_EVERY", "must be positive, got %s", c.FenceEvery))
	}
	if c.LeaderLock == "" {
		errs = append(errs, config.Errorf("DBAGENT_LEADER_LOCK", "must name Patroni's leader ConfigMap"))
	}
	if c.MembersSelector == "" {
		errs = append(errs, config.Errorf("DBAGENT_MEMBERS_SELECTOR", "must select the cluster's members"))
	}
	if k, v, ok := strings.Cut(c.LeaderLabel, "="); !ok || k == "" || v == "" || strings.ContainsAny(v, ",=") {
		errs = append(errs, config.Errorf("DBAGENT_LEADER_LABEL", "want key=value, got %q", c.LeaderLabel))
	}
	if err := kubeapi.Config(c.API).Validate(); err != nil {
		errs = append(errs, err)
	}
	return errs
}

type apiServer kubeapi.Config
