//go:build cluster

package cluster_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// leaderServiceIPs are the ready addresses behind the postgres Service (none
// while it has no endpoints, e.g. between two leaders). It is polled, so a
// failed kubectl is "none yet", not the end of the test.
func leaderServiceIPs() []string {
	var list struct {
		Items []struct {
			Endpoints []struct {
				Addresses  []string
				Conditions struct{ Ready bool }
			}
		}
	}
	out, err := kubectlErr("get", "endpointslices", "-l", "kubernetes.io/service-name=postgres", "-o", "json")
	if err != nil || json.Unmarshal([]byte(out), &list) != nil {
		return nil
	}
	var ips []string
	for _, s := range list.Items {
		for _, e := range s.Endpoints {
			if e.Conditions.Ready {
				ips = append(ips, e.Addresses...)
			}
		}
	}
	return ips
}

func podIP(t testing.TB, pod string) string {
	t.Helper()
	return strings.TrimSpace(kubectl(t, "get", "pod", pod, "-o", "jsonpath={.status.podIP}"))
}

// checkLeaderIs: Patroni's lock in the Kubernetes API names pod, the pod
// carries the leader label, and the postgres Service sends to it alone.
func checkLeaderIs(t testing.TB, pod string) {
	t.Helper()
	stacktest.Eventually(t, 2*time.Minute, pod+" as Patroni's leader behind the postgres Service", func() bool {
		// an error is "not yet": the pod may be between its deletion and
		// the StatefulSet's new one (a cold CI run caught it there)
		out, err := kubectlErr("get", "pod", pod, "-o", `jsonpath={.metadata.labels.shipshape\.dev/postgres-role} {.status.podIP}`)
		role, ip, _ := strings.Cut(strings.TrimSpace(out), " ")
		ips := leaderServiceIPs()
		return err == nil && clustertest.PatroniLeader() == pod && role == "master" && len(ips) == 1 && ips[0] == ip
	})
}

// agentMetrics reads dbagent's /metrics on a member (the node reaches pod
// IPs directly) as name{labels} -> value.
func agentMetrics(t testing.TB, pod string) map[string]float64 {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(fmt.Sprintf("http://%s:9187/metrics", podIP(t, pod)))
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	values := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			values[line[:i]] = v
		}
	}
	return values
}

// The single member of the development overlay leads through the
// Kubernetes API: Patroni holds its lock in a ConfigMap (its Role, token and
// egress policy work) and the postgres Service follows its label.
func TestPatroniLeadsThroughTheKubernetesAPI(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	if out := kubectl(t, "get", "configmap", "shipshape-config", "-o", "name"); !strings.Contains(out, "shipshape-config") {
		t.Fatalf("no Patroni configuration ConfigMap: %s", out)
	}
	// patronictl in the member sees the same, run as the runbooks run it
	// (the default container, its configuration from the environment).
	out := kubectl(t, "exec", "postgres-0", "--", "patronictl", "list", "-f", "json")
	var members []struct{ Member, Role, State string }
	if err := json.Unmarshal([]byte(out), &members); err != nil {
		t.Fatalf("patronictl list: %v\n%s", err, out)
	}
	if len(members) != 1 || members[0].Member != "postgres-0" || members[0].Role != "Leader" || members[0].State != "running" {
		t.Fatalf("patronictl list: %+v, want postgres-0 as the running Leader", members)
	}
	// Its REST API answers reads but refuses a change without the password.
	api := fmt.Sprintf("http://%s:8008", podIP(t, "postgres-0"))
	resp, err := http.Post(api+"/restart", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("POST /restart without credentials: %s, want 401", resp.Status)
	}
	if resp, err = http.Get(api + "/readiness"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /readiness: %v %v", resp, err)
	}
	resp.Body.Close()
}

// dbagent on the leader made the services' roles (the services run on
// them), archived WAL and took the first full backup into the development
// repository volume, and reports it.
func TestDatabaseAgentBacksUpTheLeader(t *testing.T) {
	rolledOut(t)
	stacktest.Eventually(t, 3*time.Minute, "dbagent to report the leader's first full backup", func() bool {
		m := agentMetrics(t, "postgres-0")
		return m["shipshape_dbagent_leader"] == 1 && m["shipshape_backup_repo_up"] == 1 &&
			m[`shipshape_backup_last_success_timestamp_seconds{type="full"}`] > 0 &&
			m[`shipshape_role_sync_runs_total{result="success"}`] >= 1
	})
	m := agentMetrics(t, "postgres-0")
	if f := m[`shipshape_role_sync_runs_total{result="failure"}`]; f != 0 {
		t.Errorf("role sync failed %v times", f)
	}
	if age := time.Since(time.Unix(int64(m[`shipshape_backup_last_success_timestamp_seconds{type="full"}`]), 0)); age > time.Hour {
		t.Errorf("the full backup is %v old: not this deployment's", age)
	}

	out := kubectl(t, "exec", "postgres-0", "-c", "dbagent", "--", "pgbackrest", "--stanza=shipshape", "--output=json", "info")
	var info []struct {
		Status  struct{ Code int }
		Backup  []struct{ Type string }
		Archive []struct{ Min, Max string }
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil || len(info) != 1 {
		t.Fatalf("pgbackrest info: %v\n%s", err, out)
	}
	if info[0].Status.Code != 0 || len(info[0].Backup) == 0 || info[0].Backup[0].Type != "full" {
		t.Fatalf("pgbackrest info: want a healthy stanza whose first backup is full, got %s", out)
	}
	if len(info[0].Archive) == 0 || info[0].Archive[0].Max == "" {
		t.Fatalf("pgbackrest info: no archived WAL: %s", out)
	}
}

// PostgreSQL takes connections over the network only with TLS, with a
// certificate signed by the CA the services verify against.
func TestPostgresRequiresTLS(t *testing.T) {
	rolledOut(t)
	ctx := context.Background()
	_, err := pgx.Connect(ctx, clustertest.CatalogDSN(t, "disable"))
	if err == nil || !strings.Contains(err.Error(), "no encryption") {
		t.Fatalf("a connection without TLS: %v, want it refused by pg_hba (no encryption)", err)
	}
	conn, err := pgx.Connect(ctx, clustertest.CatalogDSN(t, "verify-ca"))
	if err != nil {
		t.Fatalf("a TLS connection verified against the development CA: %v", err)
	}
	defer conn.Close(ctx)
	var ssl bool
	var version string
	if err := conn.QueryRow(ctx, "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&ssl, &version); err != nil {
		t.Fatal(err)
	}
	if !ssl {
		t.Fatal("pg_stat_ssl says the connection is not encrypted")
	}
	t.Logf("connected with %s", version)
}
