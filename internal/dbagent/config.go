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
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
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
	if _, err := logging.ParseLevel(c.LogLevel); err != nil {
		errs = append(errs, config.Errorf("LOG_LEVEL", "%v", err))
	}
	return errors.Join(errs...)
}
