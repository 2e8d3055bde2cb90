package manifests_test

import (
	"fmt"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// generated returns the rendered ConfigMap or Secret whose name starts with
// prefix and a hash suffix (kustomize's generators), or fails.
func generated(t *testing.T, objs []manifestcheck.Object, kind, prefix string) manifestcheck.Object {
	t.Helper()
	for _, o := range manifestcheck.OfKind(objs, kind) {
		if isGenerated(o.Name(), prefix) {
			return o
		}
	}
	t.Fatalf("no %s %s", kind, prefix)
	return nil
}

// isGenerated: name is prefix, or prefix with a generator's hash suffix.
func isGenerated(name, prefix string) bool {
	return name == prefix || strings.HasPrefix(name, prefix+"-") && !strings.Contains(name[len(prefix)+1:], "-")
}

// patroniConfig merges the postgres-patroni ConfigMap's files in name order,
// as Patroni reads its configuration directory (only the top-level keys
// the tests look at need a deep merge: bootstrap.dcs and postgresql).
func patroniConfig(t *testing.T, objs []manifestcheck.Object) manifestcheck.Object {
	t.Helper()
	cm := generated(t, objs, "ConfigMap", "postgres-patroni")
	merged := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(cm.Map("data"))) {
		if !strings.HasSuffix(name, ".yml") {
			continue
		}
		var part map[string]any
		if err := yaml.Unmarshal([]byte(cm.Str("data", name)), &part); err != nil {
			t.Fatalf("postgres-patroni %s: %v", name, err)
		}
		deepMerge(merged, part)
	}
	return merged
}

func deepMerge(dst, src map[string]any) {
	for k, v := range src {
		if sub, ok := v.(map[string]any); ok {
			if have, ok := dst[k].(map[string]any); ok {
				deepMerge(have, sub)
				continue
			}
		}
		dst[k] = v
	}
}

// TestPostgresHighAvailability: each overlay's members, replication mode
// and disruption budget are what docs/database.md promises, and the pieces
// Patroni ties together by name agree: the labels it lists members by, the
// role label the Services select the leader by, the stanza of its archive
// command and of pgBackRest's configuration, the Secrets it reads.
func TestPostgresHighAvailability(t *testing.T) {
	want := map[string]struct {
		members int
		sync    bool
	}{"development": {1, false}, "staging": {2, true}, "production": {3, true}}
	for _, overlay := range Overlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			sts := manifestcheck.Find(objs, "StatefulSet", "postgres")
			if sts == nil {
				t.Fatal("no StatefulSet postgres")
			}
			conf := patroniConfig(t, objs)
			if n, _ := sts.Int("spec", "replicas"); n != want[overlay].members {
				t.Errorf("members: %d, want %d", n, want[overlay].members)
			}
			if got := conf.Get("bootstrap", "dcs", "synchronous_mode") == true; got != want[overlay].sync {
				t.Errorf("synchronous_mode: %v, want %v", got, want[overlay].sync)
			}
			ttl, _ := conf.Int("bootstrap", "dcs", "ttl")
			loop, _ := conf.Int("bootstrap", "dcs", "loop_wait")
			retry, _ := conf.Int("bootstrap", "dcs", "retry_timeout")
			// Patroni's own rule (its defaults, 30, 10 and 10, meet it exactly)
			if loop+2*retry > ttl {
				t.Errorf("loop_wait %d + 2 * retry_timeout %d exceeds ttl %d: a leader that reaches the API server may lose its lock", loop, retry, ttl)
			}
			// production promises a write pause under 30 s when its leader's
			// node is lost: the lock lapses within ttl, a replica sees it
			// within loop_wait, and the rest needs a few seconds
			if overlay == "production" && ttl+loop > 20 {
				t.Errorf("ttl %d + loop_wait %d: a lost leader is replaced only after up to %d s, want 20 at most", ttl, loop, ttl+loop)
			}
			if want[overlay].members > 1 && !coveredByPDB(objs, sts) {
				t.Error("several members but no PodDisruptionBudget selects them")
			}
			if !manifestcheck.OnePerNode(sts) {
				t.Error("members may share a node: no required anti-affinity on kubernetes.io/hostname")
			}

			// Patroni lists its members by kubernetes.labels plus scope_label=scope.
			podLabels := sts.Map("spec", "template", "metadata", "labels")
			for k, v := range conf.Get("kubernetes", "labels").(map[string]any) {
				if podLabels[k] != v {
					t.Errorf("pod template label %s=%v, Patroni lists members by %s=%v", k, podLabels[k], k, v)
				}
			}
			scopeLabel, _ := conf.Get("kubernetes", "scope_label").(string)
			if podLabels[scopeLabel] != conf["scope"] {
				t.Errorf("pod template label %s=%v, want the scope %v", scopeLabel, podLabels[scopeLabel], conf["scope"])
			}
			if conf.Get("kubernetes", "use_endpoints") != false {
				t.Error("kubernetes.use_endpoints must be false: the Services select the leader by label")
			}

			// The leader Service selects Patroni 3.0's leader label value.
			roleLabel, _ := conf.Get("kubernetes", "role_label").(string)
			for svc, role := range map[string]string{"postgres": "master", "postgres-replicas": "replica"} {
				s := manifestcheck.Find(objs, "Service", svc)
				if s == nil {
					t.Fatalf("no Service %s", svc)
				}
				if got := s.Str("spec", "selector", roleLabel); got != role {
					t.Errorf("Service %s selects %s=%q, want %q", svc, roleLabel, got, role)
				}
			}

			// The archive command, the restore command and pgBackRest's
			// configuration name the same stanza.
			backupConf := generated(t, objs, "ConfigMap", "postgres-backup").Str("data", "pgbackrest.conf")
			for _, cmd := range []string{
				fmt.Sprint(conf.Get("postgresql", "parameters", "archive_command")),
				fmt.Sprint(conf.Get("postgresql", "recovery_conf", "restore_command")),
			} {
				stanza, ok := strings.CutPrefix(strings.Fields(cmd)[1], "--stanza=")
				if !ok || !strings.Contains(backupConf, "\n["+stanza+"]\n") {
					t.Errorf("%q: its stanza has no section in pgbackrest.conf", cmd)
				}
			}
			if conf.Get("bootstrap", "dcs", "postgresql", "parameters", "archive_mode") != "on" {
				t.Error("archive_mode must be on: point-in-time restore needs every WAL segment")
			}

			// The passwords Patroni reads exist in development and come from
			// External Secrets elsewhere.
			secretKind := "ExternalSecret"
			if overlay == "development" {
				secretKind = "Secret"
			}
			for _, c := range sts.Containers() {
				for _, raw := range c.List("env") {
					ref := manifestcheck.Object(raw.(map[string]any))
					if name := ref.Str("valueFrom", "secretKeyRef", "name"); name != "" {
						if overlay == "development" {
							generated(t, objs, secretKind, name)
						} else if manifestcheck.Find(objs, secretKind, name) == nil {
							t.Errorf("container %s reads Secret %s, which no %s makes", c.Str("name"), name, secretKind)
						}
					}
				}
			}
		})
	}
}

func coveredByPDB(objs []manifestcheck.Object, w manifestcheck.Object) bool {
	labels := map[string]string{}
	for k, v := range w.Map("spec", "template", "metadata", "labels") {
		labels[k], _ = v.(string)
	}
	for _, pdb := range manifestcheck.OfKind(objs, "PodDisruptionBudget") {
		if manifestcheck.LabelSelectorMatches(pdb.Map("spec", "selector"), labels) {
			return true
		}
	}
	return false
}

// TestDatabaseConnectionsVerifyTLS: every container that connects to
// PostgreSQL verifies the server's certificate (sslmode=verify-full) with a
// CA file that is mounted in that container from the postgres-ca Secret,
// which each overlay provides; and PostgreSQL accepts nothing over the
// network without TLS (every pg_hba "host" line refuses).
func TestDatabaseConnectionsVerifyTLS(t *testing.T) {
	for _, overlay := range Overlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			clients := 0
			for _, w := range objs {
				if w.PodTemplate() == nil || w.Str("metadata", "labels", "app.kubernetes.io/name") == "postgres" {
					continue // PostgreSQL and dbagent use the local socket
				}
				volumes := map[string]string{} // volume name -> Secret
				for _, raw := range w.PodTemplate().List("spec", "volumes") {
					v := manifestcheck.Object(raw.(map[string]any))
					volumes[v.Str("name")] = v.Str("secret", "secretName")
				}
				for _, c := range w.Containers() {
					env, err := manifestcheck.ContainerEnv(objs, w.Namespace(), c)
					if err != nil {
						t.Fatal(err)
					}
					dsn := env["DATABASE_URL"]
					if dsn == "" {
						continue
					}
					clients++
					where := fmt.Sprintf("%s container %s", w.ID(), c.Str("name"))
					u, err := url.Parse(dsn)
					if err != nil {
						t.Fatalf("%s: DATABASE_URL: %v", where, err)
					}
					if u.Query().Get("sslmode") != "verify-full" {
						t.Errorf("%s: DATABASE_URL sslmode=%q, want verify-full", where, u.Query().Get("sslmode"))
					}
					rootCert := u.Query().Get("sslrootcert")
					mountedFrom := ""
					for _, raw := range c.List("volumeMounts") {
						m := manifestcheck.Object(raw.(map[string]any))
						if strings.HasPrefix(rootCert, m.Str("mountPath")+"/") {
							mountedFrom = volumes[m.Str("name")]
						}
					}
					if !isGenerated(mountedFrom, "postgres-ca") {
						t.Errorf("%s: sslrootcert %q is not in a mounted postgres-ca Secret", where, rootCert)
					}
				}
			}
			if clients < 8 { // four services, each with its migrate init container
				t.Errorf("found %d containers with a DATABASE_URL, want at least 8", clients)
			}
			if overlay == "development" {
				generated(t, objs, "Secret", "postgres-ca")
				generated(t, objs, "Secret", "postgres-tls")
			} else {
				for _, name := range []string{"postgres-ca", "postgres-tls"} {
					if manifestcheck.Find(objs, "ExternalSecret", name) == nil {
						t.Errorf("no ExternalSecret %s", name)
					}
				}
			}
			for _, line := range patroniConfig(t, objs).Get("postgresql", "pg_hba").([]any) {
				fields := strings.Fields(fmt.Sprint(line))
				if fields[0] == "host" && fields[len(fields)-1] != "reject" {
					t.Errorf("pg_hba line %q accepts a connection without TLS", line)
				}
			}
		})
	}
}
