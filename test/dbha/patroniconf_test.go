package dbha_test

import (
	"fmt"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Passwords of the roles Patroni creates. The members authenticate to each
// other with SCRAM over TCP, as in production; only loopback is allowed.
const (
	superPassword  = "dbha-super"
	replPassword   = "dbha-repl"
	rewindPassword = "dbha-rewind"
)

// The cluster's name and its key prefix in etcd; each test has its own
// etcd, so they need not differ between tests.
const (
	patroniScope     = "shipshape"
	patroniNamespace = "/dbha/"
)

// patroniConfig is one member's Patroni configuration. The dynamic part
// (bootstrap.dcs) is what the first member writes to etcd for all of them.
func patroniConfig(c *cluster, m *member) []byte {
	dcsParams := map[string]any{
		"wal_level":             "replica",
		"hot_standby":           "on",
		"wal_log_hints":         "on", // pg_rewind needs it (checksums would do too; we have both)
		"max_connections":       40,
		"max_wal_senders":       10,
		"max_replication_slots": 10,
		"shared_buffers":        "32MB",
	}
	memberParams := map[string]any{"unix_socket_directories": m.sockDir}
	postgresql := map[string]any{
		"listen":          fmt.Sprintf("127.0.0.1:%d", m.pgPort),
		"connect_address": fmt.Sprintf("127.0.0.1:%d", m.pgPort),
		"data_dir":        m.dataDir,
		"bin_dir":         c.tools.pgBin,
		"pgpass":          m.dir + "/pgpass",
		"authentication": map[string]any{
			"superuser":   map[string]any{"username": "postgres", "password": superPassword},
			"replication": map[string]any{"username": "replicator", "password": replPassword},
			"rewind":      map[string]any{"username": "rewinder", "password": rewindPassword},
		},
		"parameters": memberParams,
		"pg_hba": []string{
			"local all all trust", // pgBackRest and patronictl on the member itself
			"host replication replicator 127.0.0.1/32 scram-sha-256",
			"host all all 127.0.0.1/32 scram-sha-256",
		},
		// A fast checkpoint lets a clone start at once instead of waiting
		// for a spread one.
		"basebackup": []any{map[string]any{"checkpoint": "fast"}},
	}
	if c.repo != nil {
		dcsParams["archive_mode"] = "on"
		memberParams["archive_command"] = c.repo.archiveCommand(m)
		postgresql["recovery_conf"] = map[string]any{"restore_command": c.repo.restoreCommand(m)}
	}
	conf := map[string]any{
		"scope":     patroniScope,
		"namespace": patroniNamespace,
		"name":      m.name,
		"log":       map[string]any{"level": "INFO"},
		"restapi": map[string]any{
			"listen":          fmt.Sprintf("127.0.0.1:%d", m.apiPort),
			"connect_address": fmt.Sprintf("127.0.0.1:%d", m.apiPort),
		},
		"etcd3": map[string]any{"hosts": c.etcd.endpoint},
		"bootstrap": map[string]any{
			"dcs": map[string]any{
				// Failover takes about the TTL; loop_wait + 2*retry_timeout
				// must stay below it, or a busy leader loses its lock.
				"ttl":                     10,
				"loop_wait":               2,
				"retry_timeout":           3,
				"maximum_lag_on_failover": 1 << 20,
				// A commit returns only once the sync standby has it, and
				// only the sync standby may be promoted: no acknowledged
				// write is lost. Not strict: with no standby left, the
				// leader keeps accepting writes.
				"synchronous_mode":        true,
				"synchronous_mode_strict": false,
				"postgresql": map[string]any{
					"use_pg_rewind": true, // an old leader rejoins by rewinding, not re-cloning
					"use_slots":     true,
					"parameters":    dcsParams,
				},
			},
			"initdb": []any{map[string]any{"encoding": "UTF8"}, map[string]any{"locale": "C.UTF-8"}, "data-checksums"},
		},
		"postgresql": postgresql,
		"watchdog":   map[string]any{"mode": "off"},
	}
	b, err := yaml.Marshal(conf)
	if err != nil {
		panic(err) // only maps of strings and numbers: cannot fail
	}
	return b
}

// writePatroniConfig writes m's configuration where Patroni and patronictl
// (as the server user) read it.
func writePatroniConfig(t testing.TB, c *cluster, m *member) {
	t.Helper()
	c.user.writeFile(t, m.configPath, patroniConfig(c, m))
}
