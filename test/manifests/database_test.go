package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// extraPools are connections a service opens besides its DATABASE_MAX_CONNS
// pool: orders' payment pool (internal/orders/app/serve.go, 4 connections).
var extraPools = map[string]int{"orders": 4}

// goMigrateConns bounds what one migrate init container holds (goose on
// database/sql: the session lock plus one working connection).
const goMigrateConns = 2

// postgresMaxConnections reads max_connections from the rendered
// postgres-patroni ConfigMap: tuning.yml's bootstrap.dcs, the value the
// first member writes for the whole cluster (Patroni ignores it elsewhere).
func postgresMaxConnections(t *testing.T, objs []manifestcheck.Object) int {
	t.Helper()
	for _, cm := range manifestcheck.OfKind(objs, "ConfigMap") {
		if !strings.HasPrefix(cm.Name(), "postgres-patroni") {
			continue
		}
		var tuning struct {
			Bootstrap struct {
				DCS struct {
					PostgreSQL struct {
						Parameters map[string]any `yaml:"parameters"`
					} `yaml:"postgresql"`
				} `yaml:"dcs"`
			} `yaml:"bootstrap"`
		}
		if err := yaml.Unmarshal([]byte(cm.Str("data", "tuning.yml")), &tuning); err != nil {
			t.Fatalf("postgres-patroni tuning.yml: %v", err)
		}
		if n, ok := tuning.Bootstrap.DCS.PostgreSQL.Parameters["max_connections"].(int); ok {
			return n
		}
	}
	t.Fatal("no bootstrap.dcs.postgresql.parameters.max_connections (a number) in postgres-patroni tuning.yml")
	return 0
}

// TestDatabaseConnectionBudget: every service at its maximum replicas,
// all rolling at once (every surge pod migrating), stays within
// PostgreSQL's max_connections less the superuser's reserve. Otherwise a
// scale-out or a deploy would end in "too many clients".
func TestDatabaseConnectionBudget(t *testing.T) {
	for _, overlay := range Overlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			maxConns := postgresMaxConnections(t, objs)
			const superuserReserved = 3 // PostgreSQL's default
			rep, err := manifestcheck.Capacity(objs, manifestcheck.MinimumProductionCluster)
			if err != nil {
				t.Fatal(err)
			}
			total, services := 0, 0
			for _, w := range rep.Workloads {
				parts := strings.SplitN(w.ID, "/", 3)
				o := manifestcheck.Find(objs, parts[0], parts[2])
				for _, c := range o.Containers() {
					args := c.List("args")
					if len(args) == 0 || args[0] != "serve" {
						continue
					}
					env, err := manifestcheck.ContainerEnv(objs, o.Namespace(), c)
					if err != nil {
						t.Fatal(err)
					}
					if env["DATABASE_URL"] == "" {
						continue
					}
					pool := 10 // the chassis default
					if v, ok := env["DATABASE_MAX_CONNS"]; ok {
						if pool, err = strconv.Atoi(v); err != nil {
							t.Fatal(err)
						}
					}
					perPod := pool + extraPools[o.Name()]
					need := (w.MaxReplicas+w.Surge)*perPod + w.Surge*goMigrateConns
					t.Logf("%s: (%d replicas + %d surge) x %d + migrations = %d", o.Name(), w.MaxReplicas, w.Surge, perPod, need)
					total += need
					services++
				}
			}
			for _, job := range manifestcheck.OfKind(objs, "Job") { // e.g. the development seed
				total += len(job.Containers()) * goMigrateConns
			}
			if services != 4 {
				t.Fatalf("found %d services using PostgreSQL, want 4", services)
			}
			if limit := maxConns - superuserReserved; total > limit {
				t.Errorf("connections at maximum: %d, PostgreSQL allows %d (max_connections %d)", total, limit, maxConns)
			} else {
				t.Logf("connections at maximum: %d of %d", total, limit)
			}
		})
	}
}
