package dbha_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/gobuild"
)

// agentProc is cmd/dbagent running beside one member, as the sidecar in
// its pod.
type agentProc struct {
	m        *member
	proc     *proc
	adminURL string
}

// buildAgent compiles cmd/dbagent into dir, where the server user can run it.
func buildAgent(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "dbagent")
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := gobuild.Command(ctx, bin, "cmd/dbagent"); err != nil {
		t.Fatal(err)
	}
	t.Logf("built dbagent in %.1fs", time.Since(start).Seconds())
	return bin
}

// writePasswords lays out the mounted password files: one per role.
func writePasswords(t *testing.T, c *cluster, passwords map[string]string) string {
	t.Helper()
	dir := filepath.Join(c.dir, "passwords")
	c.user.mkdir(t, dir, 0o700)
	for role, pw := range passwords {
		c.user.writeFile(t, filepath.Join(dir, role), []byte(pw+"\n"))
	}
	return dir
}

// startAgent runs the agent for m as the server user; env adds DBAGENT_*
// settings to those that tie it to m and the repository.
func startAgent(t *testing.T, c *cluster, m *member, bin string, adminPort int, env ...string) *agentProc {
	t.Helper()
	dir := filepath.Join(c.dir, "agent-"+m.name)
	c.user.mkdir(t, dir, 0o700)
	base := []string{
		"PATH=/usr/bin:/bin", "HOME=" + dir, "LC_ALL=C.UTF-8",
		"PGBACKREST_CONFIG=" + c.repo.confPath,
		"DBAGENT_PATRONI_URL=" + fmt.Sprintf("http://127.0.0.1:%d", m.apiPort),
		"DBAGENT_DATABASE_URL=" + fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres", m.sockDir, m.pgPort),
		"DBAGENT_PGBACKREST=" + c.tools.pgbackrest,
		"DBAGENT_STANZA=" + backupStanza,
		"DBAGENT_ADMIN_ADDR=" + fmt.Sprintf("127.0.0.1:%d", adminPort),
	}
	a := &agentProc{m: m, adminURL: fmt.Sprintf("http://127.0.0.1:%d", adminPort)}
	a.proc = startProc(t, procSpec{
		name:    "dbagent " + m.name,
		argv:    []string{bin},
		dir:     dir,
		env:     append(base, env...),
		logPath: filepath.Join(c.dir, "agent-"+m.name+".log"), // beside etcd.log: shown on failure
		user:    &c.user,
	})
	waitFor(t, 30*time.Second, "dbagent "+m.name+" serving", func() error {
		if !a.proc.running() {
			return giveUp{fmt.Errorf("dbagent exited; see %s", a.proc.logPath)}
		}
		_, err := a.metrics()
		return err
	})
	return a
}

// metrics scrapes /metrics into series (as exposed, labels sorted by name)
// and values.
func (a *agentProc) metrics() (map[string]float64, error) {
	resp, err := restClient.Get(a.adminURL + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("GET /metrics: %s %s", resp.Status, b)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %w", line, err)
		}
		out[line[:i]] = v
	}
	return out, sc.Err()
}

// metric returns one series' value, failing the test if it is absent.
func (a *agentProc) metric(t *testing.T, series string) float64 {
	t.Helper()
	ms, err := a.metrics()
	if err != nil {
		t.Fatal(err)
	}
	v, ok := ms[series]
	if !ok {
		t.Fatalf("dbagent %s exports no %s", a.m.name, series)
	}
	return v
}

// waitMetric waits until series has value want on a.
func (a *agentProc) waitMetric(t *testing.T, timeout time.Duration, series string, want func(float64) bool, what string) float64 {
	t.Helper()
	var got float64
	waitFor(t, timeout, fmt.Sprintf("dbagent %s: %s %s", a.m.name, series, what), func() error {
		if !a.proc.running() {
			return giveUp{fmt.Errorf("dbagent exited; see %s", a.proc.logPath)}
		}
		ms, err := a.metrics()
		if err != nil {
			return err
		}
		v, ok := ms[series]
		if !ok {
			return fmt.Errorf("not exported yet")
		}
		if got = v; !want(v) {
			return fmt.Errorf("is %v", v)
		}
		return nil
	})
	return got
}

// stop is the pod's shutdown: SIGTERM, and the agent must exit 0.
func (a *agentProc) stop(t *testing.T) {
	t.Helper()
	if err := a.proc.terminate(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	if code := a.proc.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("dbagent %s exited %d after SIGTERM; see %s", a.m.name, code, a.proc.logPath)
	}
}

// runningBackup returns the pid of a `pgbackrest backup` the agent runs
// now, or 0. The agent's children work in its directory.
func (a *agentProc) runningBackup() int {
	for _, pid := range processesIn(a.proc.cmd.Dir) {
		if pid == a.proc.pid() {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err == nil && slices.Contains(strings.Split(string(b), "\x00"), "backup") {
			return pid
		}
	}
	return 0
}

// roleLogin connects to m over TCP with SCRAM as role, to its database.
func roleLogin(m *member, role, password string) error {
	ctx, cancel := context.WithTimeout(context.Background(), sqlTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("host=127.0.0.1 port=%d user=%s password=%s dbname=%s sslmode=disable connect_timeout=5",
		m.pgPort, role, password, role))
	if err != nil {
		return fmt.Errorf("%s as %s: %w", m.name, role, err)
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

// countTypes counts backups by type.
func countTypes(sets []backupSet) map[string]int {
	n := map[string]int{}
	for _, s := range sets {
		n[s.Type]++
	}
	return n
}

// newestOf returns the stop time of the newest backup of typ, 0 if none.
func newestOf(sets []backupSet, typ string) int64 {
	var stop int64
	for _, s := range sets {
		if s.Type == typ && s.Timestamp.Stop > stop {
			stop = s.Timestamp.Stop
		}
	}
	return stop
}
