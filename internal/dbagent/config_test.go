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
		FenceEvery:       2 * time.Second,
		LeaderLock:       "shipshape-leader",
		MembersSelector:  "shipshape.dev/postgres-cluster=shipshape",
		LeaderLabel:      "shipshape.dev/postgres-role=master",
		API:              apiServer{ServicePort: "443"},
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
		// the fence's settings count only with a member name
		{map[string]string{"DBAGENT_MEMBER": "postgres-0", "KUBERNETES_SERVICE_HOST": "10.96.0.1", "DBAGENT_FENCE_EVERY": "0s"}, "DBAGENT_FENCE_EVERY"},
		{map[string]string{"DBAGENT_MEMBER": "postgres-0", "KUBERNETES_SERVICE_HOST": "10.96.0.1", "DBAGENT_LEADER_LABEL": "role"}, "DBAGENT_LEADER_LABEL"},
		{map[string]string{"DBAGENT_MEMBER": "postgres-0", "KUBERNETES_SERVICE_HOST": "10.96.0.1", "DBAGENT_LEADER_LABEL": "role=a,b=c"}, "DBAGENT_LEADER_LABEL"},
		{map[string]string{"DBAGENT_MEMBER": "postgres-0"}, "KUBERNETES_SERVICE_HOST"},
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

// Outside a pod (no member name) the fence is off and its settings and the
// API server's address are not required.
func TestConfigFenceOnlyInAPod(t *testing.T) {
	if _, err := loadConfig(map[string]string{"DBAGENT_LEADER_LABEL": "nonsense", "DBAGENT_FENCE_EVERY": "0s"}); err != nil {
		t.Fatalf("fence settings checked without DBAGENT_MEMBER: %v", err)
	}
	if _, err := loadConfig(map[string]string{"DBAGENT_MEMBER": "postgres-1", "KUBERNETES_SERVICE_HOST": "10.96.0.1"}); err != nil {
		t.Fatal(err)
	}
}
