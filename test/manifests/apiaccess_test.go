package manifests_test

import (
	"fmt"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tokenPath is where Patroni, dbagent and internal/dbsnapshot read the
// service account's token, CA and namespace (the in-cluster default).
const tokenPath = "/var/run/secrets/kubernetes.io/serviceaccount"

// apiClients are the only containers that may hold a Kubernetes API token:
// workload ID (without the namespace) -> containers.
var apiClients = map[string][]string{
	// Patroni keeps its state in the API; dbagent's fence takes the
	// leader label off a lost former leader (internal/dbagent/fence.go).
	"StatefulSet/postgres":      {"postgres", "dbagent"},
	"CronJob/postgres-snapshot": {"snapshot"},
}

// TestAPITokenOnlyInTheContainersThatCallTheAPI: no pod has the token
// mounted by default, and the projected token volume (token, cluster CA,
// namespace at the in-cluster path) is mounted in Patroni's and dbagent's
// containers and the snapshot job only.
func TestAPITokenOnlyInTheContainersThatCallTheAPI(t *testing.T) {
	for _, overlay := range Overlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			found := map[string]bool{}
			for _, w := range objs {
				tpl := w.PodTemplate()
				if tpl == nil {
					continue
				}
				if tpl.Get("spec", "automountServiceAccountToken") != false {
					t.Errorf("%s: automountServiceAccountToken is not false", w.ID())
				}
				tokens := tokenVolumes(t, w)
				for _, c := range w.Containers() {
					for _, raw := range c.List("volumeMounts") {
						m := manifestcheck.Object(raw.(map[string]any))
						if !tokens[m.Str("name")] {
							continue
						}
						who := w.Kind() + "/" + w.Name()
						if !slices.Contains(apiClients[who], c.Str("name")) {
							t.Errorf("%s: container %s mounts the API token (volume %s)", w.ID(), c.Str("name"), m.Str("name"))
							continue
						}
						if m.Str("mountPath") != tokenPath {
							t.Errorf("%s: container %s mounts the token at %s, its client reads %s", w.ID(), c.Str("name"), m.Str("mountPath"), tokenPath)
						}
						found[who+"/"+c.Str("name")] = true
					}
				}
			}
			if !found["StatefulSet/postgres/postgres"] {
				t.Error("Patroni's container has no API token: it keeps its state in the Kubernetes API")
			}
			if !found["StatefulSet/postgres/dbagent"] {
				t.Error("dbagent's container has no API token: its fence cannot take a lost leader's label off")
			}
			if snap := manifestcheck.Find(objs, "CronJob", "postgres-snapshot"); snap != nil && !found["CronJob/postgres-snapshot/snapshot"] {
				t.Error("the snapshot job has no API token")
			}
		})
	}
}

// tokenVolumes are a workload's projected volumes with a service account
// token; each must also carry the cluster CA and the namespace, as the
// kubelet's own token volume does.
func tokenVolumes(t *testing.T, w manifestcheck.Object) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	for _, raw := range w.PodTemplate().List("spec", "volumes") {
		v := manifestcheck.Object(raw.(map[string]any))
		paths := map[string]bool{}
		token := false
		for _, src := range v.List("projected", "sources") {
			s := manifestcheck.Object(src.(map[string]any))
			if s.Map("serviceAccountToken") != nil {
				token = true
				paths[s.Str("serviceAccountToken", "path")] = true
			}
			for _, key := range []string{"configMap", "downwardAPI"} {
				for _, item := range s.List(key, "items") {
					paths[manifestcheck.Object(item.(map[string]any)).Str("path")] = true
				}
			}
		}
		if !token {
			continue
		}
		names[v.Str("name")] = true
		if want := []string{"ca.crt", "namespace", "token"}; !slices.Equal(slices.Sorted(maps.Keys(paths)), want) {
			t.Errorf("%s: token volume %s holds %v, want %v", w.ID(), v.Str("name"), slices.Sorted(maps.Keys(paths)), want)
		}
	}
	return names
}

// writeVerbs change or remove an existing object.
var writeVerbs = []string{"update", "patch", "delete", "deletecollection", "*"}

// TestPostgresRoleWritesOnlyPatroniObjects: the postgres Role lets Patroni
// change exactly its own ConfigMaps (named after the scope in patroni.yml)
// and its members' pods (covering every member of the overlay), and no
// other ConfigMap or pod: what a compromised member could otherwise
// rewrite is the gateway's configuration or identity's image.
func TestPostgresRoleWritesOnlyPatroniObjects(t *testing.T) {
	for _, overlay := range Overlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			role := manifestcheck.Find(objs, "Role", "postgres")
			if role == nil {
				t.Fatal("no Role postgres")
			}
			scope := fmt.Sprint(patroniConfig(t, objs)["scope"])
			wantConfigMaps := []string{scope + "-config", scope + "-failover", scope + "-leader", scope + "-sync"}
			members, _ := manifestcheck.Find(objs, "StatefulSet", "postgres").Int("spec", "replicas")

			written := map[string][]string{} // resource -> names it may change
			for i, raw := range role.List("rules") {
				rule := manifestcheck.Object(raw.(map[string]any))
				var names []string
				for _, n := range rule.List("resourceNames") {
					names = append(names, n.(string))
				}
				for _, res := range rule.List("resources") {
					for _, verb := range rule.List("verbs") {
						if !slices.Contains(writeVerbs, verb.(string)) {
							continue
						}
						if len(names) == 0 {
							t.Errorf("rule %d: %s on every %s", i, verb, res)
							continue
						}
						if verb != "patch" {
							t.Errorf("rule %d: %s on %s: Patroni only patches", i, verb, res)
						}
						written[res.(string)] = append(written[res.(string)], names...)
					}
				}
			}
			if got := slices.Compact(slices.Sorted(slices.Values(written["configmaps"]))); !slices.Equal(got, wantConfigMaps) {
				t.Errorf("ConfigMaps Patroni may change: %v, want %v", got, wantConfigMaps)
			}
			pods := written["pods"]
			for _, name := range pods {
				n, err := strconv.Atoi(strings.TrimPrefix(name, "postgres-"))
				if !strings.HasPrefix(name, "postgres-") || err != nil || n < 0 {
					t.Errorf("pod %s may be changed, but it is no PostgreSQL member", name)
				}
			}
			for i := range members {
				if !slices.Contains(pods, fmt.Sprintf("postgres-%d", i)) {
					t.Errorf("member postgres-%d may not label its own pod (the Role names %v)", i, pods)
				}
			}
			for res := range written {
				if res != "configmaps" && res != "pods" {
					t.Errorf("the Role writes %s, which Patroni does not touch", res)
				}
			}
		})
	}
}
