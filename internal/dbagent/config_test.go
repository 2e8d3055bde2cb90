package dbagent

import (
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

func loadConfig(env map[string]string) (Config, error) {
	var c Config
	err := config.LoadFrom(config.FromMap(env), &c)
	return c, err
}

func TestConfigDefaults(t *testing.T) {
	c, err := loadConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		PatroniURL:       "http://127.0.0.1:8008",
		DatabaseURL:      "host=/var/run/postgresql user=postgres dbname=postgres",
		PasswordsDir:     "/var/run/secrets/shipshape/passwords",
		Stanza:           "shipshape",
		PgBackRest:       "pgbackrest",
		AdminAddr:        ":9187",
		CheckEvery:       30 * time.Second,
		RoleSyncEvery:    10 * time.Minute,
		FullBackupEvery:  168 * time.Hour,
		DiffBackupEvery:  24 * time.Hour,
		BackupRetryAfter: 5 * time.Minute,
		LogLevel:         "info",
	}
	if c != want {
		t.Fatalf("got  %+v\nwant %+v", c, want)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		env      map[string]string
		variable string
	}{
		{map[string]string{"DBAGENT_CHECK_EVERY": "0s"}, "DBAGENT_CHECK_EVERY"},
		{map[string]string{"DBAGENT_ROLE_SYNC_EVERY": "-1m"}, "DBAGENT_ROLE_SYNC_EVERY"},
		{map[string]string{"DBAGENT_FULL_BACKUP_EVERY": "0s"}, "DBAGENT_FULL_BACKUP_EVERY"},
		{map[string]string{"DBAGENT_DIFF_BACKUP_EVERY": "-24h"}, "DBAGENT_DIFF_BACKUP_EVERY"},
		{map[string]string{"DBAGENT_BACKUP_RETRY_AFTER": "0s"}, "DBAGENT_BACKUP_RETRY_AFTER"},
		{map[string]string{"DBAGENT_CHECK_EVERY": "soon"}, "DBAGENT_CHECK_EVERY"},
		{map[string]string{"DBAGENT_FULL_BACKUP_EVERY": "1h", "DBAGENT_DIFF_BACKUP_EVERY": "2h"}, "DBAGENT_FULL_BACKUP_EVERY"},
		{map[string]string{"DBAGENT_PATRONI_URL": "127.0.0.1:8008"}, "DBAGENT_PATRONI_URL"},
		{map[string]string{"DBAGENT_ADMIN_ADDR": "9187"}, "DBAGENT_ADMIN_ADDR"},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
	} {
		_, err := loadConfig(tc.env)
		if err == nil {
			t.Errorf("%v: no error", tc.env)
			continue
		}
		if !strings.Contains(err.Error(), tc.variable+":") {
			t.Errorf("%v: error does not name %s: %v", tc.env, tc.variable, err)
		}
		// Only the bad setting is reported, not its neighbours.
		for line := range strings.Lines(err.Error()) {
			if !strings.Contains(line, tc.variable+":") {
				t.Errorf("%v: error about another setting: %s", tc.env, line)
			}
		}
	}
}

func TestConfigFullMayEqualDiff(t *testing.T) {
	if _, err := loadConfig(map[string]string{"DBAGENT_FULL_BACKUP_EVERY": "24h", "DBAGENT_DIFF_BACKUP_EVERY": "24h"}); err != nil {
		t.Fatal(err)
	}
}
