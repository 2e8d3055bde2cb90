package clustertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PatroniMember is one row of `patronictl list -f json`.
type PatroniMember struct {
	Member, Host, Role, State string
	TL                        int
	LagInMB                   any `json:"Lag in MB"`
}

// Patronictl runs patronictl in a PostgreSQL member's container.
func Patronictl(t testing.TB, pod string, args ...string) string {
	t.Helper()
	return Kubectl(t, "shipshape", append([]string{"exec", pod, "-c", "postgres", "--", "patronictl"}, args...)...)
}

// PatroniMembers lists the members as pod's Patroni sees them; nil when it
// cannot tell (the pod gone or restarting: the callers poll).
func PatroniMembers(pod string) []PatroniMember {
	out, err := KubectlIn("shipshape", "", "exec", pod, "-c", "postgres", "--", "patronictl", "list", "-f", "json")
	if err != nil {
		return nil
	}
	var ms []PatroniMember
	if json.Unmarshal([]byte(out), &ms) != nil {
		return nil
	}
	return ms
}

// HealthyMembers: n members, one leader, the others replicating on its
// timeline with no lag, and (when sync) one of them the synchronous
// standby, which it returns.
func HealthyMembers(ms []PatroniMember, n int, sync bool) (leader, syncStandby string, ok bool) {
	if len(ms) != n {
		return "", "", false
	}
	tl := 0
	for _, m := range ms {
		if m.Role == "Leader" && m.State == "running" {
			leader, tl = m.Member, m.TL
		}
	}
	for _, m := range ms {
		if m.Member == leader {
			continue
		}
		// Patroni 3.0 says "running" for a replica; later versions "streaming".
		if (m.State != "running" && m.State != "streaming") || m.TL != tl || fmt.Sprint(m.LagInMB) != "0" {
			return "", "", false
		}
		if m.Role == "Sync Standby" {
			syncStandby = m.Member
		}
	}
	return leader, syncStandby, leader != "" && (!sync || syncStandby != "")
}

// PatroniLeader is the member holding Patroni's leader lock (the
// annotation of its leader ConfigMap), or "" while none does or the API
// cannot say.
func PatroniLeader() string {
	out, err := KubectlIn("shipshape", "", "get", "configmap", "shipshape-leader", "-o", "jsonpath={.metadata.annotations.leader}")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// CatalogDSN is the catalog service's connection to the postgres Service
// (the leader) from the machine, with the development secrets deploy.sh
// used and sslmode as given. The machine cannot resolve cluster names, so
// verify-ca (the certificate checked against the development CA, its host
// name not) is as strict as it gets from here.
func CatalogDSN(t testing.TB, sslmode string) string {
	t.Helper()
	secrets := filepath.Join(repoRoot(t), "deploy", "kubernetes", "apps", "development", "secrets")
	password, err := os.ReadFile(filepath.Join(secrets, "catalog-database-password"))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://catalog:%s@%s/catalog?connect_timeout=2&sslmode=%s&sslrootcert=%s",
		strings.TrimSpace(string(password)), strings.TrimPrefix(ServiceURL(t, "shipshape", "postgres", 5432), "http://"),
		sslmode, filepath.Join(secrets, "postgres-ca.crt"))
}

// ProbeWriter inserts 1, 2, 3, ... into table (n int PRIMARY KEY) through
// a DSN, one autocommit statement each, never retrying a number, and
// records the numbers whose commit was acknowledged and when.
type ProbeWriter struct {
	mu    sync.Mutex
	acked []int
	at    []time.Time
	stop  chan struct{}
	done  chan struct{}
}

// StartProbeWriter creates table and starts writing into it (the test's
// end stops it and drops the table). Each statement and connection
// attempt has 2 s: a leader that stopped answering costs the writer at
// most that before it tries again.
func StartProbeWriter(t testing.TB, dsn, table string) *ProbeWriter {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(context.Background(), "CREATE TABLE "+table+" (n int PRIMARY KEY)")
	conn.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w := &ProbeWriter{stop: make(chan struct{}), done: make(chan struct{})}
	insert := "INSERT INTO " + table + " (n) VALUES ($1)"
	go func() {
		defer close(w.done)
		var conn *pgx.Conn
		defer func() {
			if conn != nil {
				conn.Close(context.Background())
			}
		}()
		for n := 1; ; n++ {
			select {
			case <-w.stop:
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			if conn == nil {
				c, err := pgx.Connect(ctx, dsn)
				if err != nil {
					cancel()
					continue
				}
				conn = c
			}
			_, err := conn.Exec(ctx, insert, n)
			cancel()
			if err != nil {
				conn.Close(context.Background())
				conn = nil
				continue
			}
			w.mu.Lock()
			w.acked = append(w.acked, n)
			w.at = append(w.at, time.Now())
			w.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		w.Finish()
		// best effort: a database that is down by then keeps the table
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, dsn); err == nil {
			_, _ = conn.Exec(ctx, "DROP TABLE "+table)
			conn.Close(ctx)
		}
	})
	return w
}

// Count is the number of acknowledged rows so far.
func (w *ProbeWriter) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

// LongestPause is the longest time between two acknowledged rows after
// since (or between since and the first): the write outage of an event at
// since.
func (w *ProbeWriter) LongestPause(since time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	longest, last := time.Duration(0), since
	for _, at := range w.at {
		if at.Before(since) {
			continue
		}
		longest, last = max(longest, at.Sub(last)), at
	}
	return longest
}

// Finish stops the writer and returns the acknowledged numbers; a second
// call returns them again.
func (w *ProbeWriter) Finish() []int {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.acked
}

// CountPresent is how many of the acknowledged numbers table holds, read
// through dsn (the leader).
func CountPresent(t testing.TB, dsn, table string, acked []int) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var present int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table+" WHERE n = ANY($1)", acked).Scan(&present); err != nil {
		t.Fatal(err)
	}
	return present
}

// AwaitRejoin waits until n healthy members follow leader, one of them its
// synchronous standby, as leader's Patroni lists them. On timeout it fails
// t with that list and, for each member (postgres-0 ... postgres-n-1) not
// replicating, its pod's state and the last lines of its logs, also of
// the container before a restart: what a member that did not come back
// was doing. Those come last, where a truncated CI log still shows them.
func AwaitRejoin(t testing.TB, leader string, n int, within time.Duration) {
	t.Helper()
	var ms []PatroniMember
	err := PollErr(within, 2*time.Second, func() error {
		ms = PatroniMembers(leader)
		if l, _, ok := HealthyMembers(ms, n, true); !ok || l != leader {
			return fmt.Errorf("not yet")
		}
		return nil
	})
	if err == nil {
		return
	}
	t.Fatalf("timed out after %s waiting for %d members to follow %s; they are %+v%s",
		within, n, leader, ms, straggled(ms, leader, n))
}

// straggled describes each of the n members but leader that ms does not
// show replicating on leader's timeline.
func straggled(ms []PatroniMember, leader string, n int) string {
	listed := map[string]PatroniMember{}
	tl := 0
	for _, m := range ms {
		listed[m.Member] = m
		if m.Member == leader {
			tl = m.TL
		}
	}
	var b strings.Builder
	for i := range n {
		pod := fmt.Sprintf("postgres-%d", i)
		m, ok := listed[pod]
		if pod == leader || ok && (m.State == "running" || m.State == "streaming") && m.TL == tl {
			continue
		}
		state, _ := KubectlIn("shipshape", "", "get", "pod", pod, "-o",
			`jsonpath={.spec.nodeName} {.status.phase} {range .status.containerStatuses[*]}{.name}: restarts {.restartCount}, last {.lastState.terminated.reason} {.lastState.terminated.finishedAt}; {end}`)
		fmt.Fprintf(&b, "\n%s (pod: %s):", pod, strings.TrimSpace(state))
		for _, c := range []struct{ which, flag string }{{"before its restart", "--previous"}, {"now", "--previous=false"}} {
			if out, err := KubectlIn("shipshape", "", "logs", pod, "-c", "postgres", "--tail=30", c.flag); err == nil {
				fmt.Fprintf(&b, "\n  its container's last log lines %s:\n%s", c.which, out)
			}
		}
	}
	return b.String()
}
