package dbha_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// bootstrapTimeout covers initdb, two clones and the sync standby being
// assigned on a loaded 2-core machine (4-20 s measured).
const bootstrapTimeout = 120 * time.Second

type clusterOptions struct {
	members int
	backups bool // archive WAL to a pgBackRest repository (see backup_test.go)
	// repo, when set, makes the repository instead of newBackupRepo (the
	// production configuration on S3: s3_repo_test.go).
	repo func(t testing.TB, c *cluster) *backupRepo
}

// cluster is etcd plus Patroni members, each with its own ports, data
// directory, socket directory and pgpass file.
type cluster struct {
	t       *testing.T
	tools   tools
	user    serverUser
	dir     string
	etcd    *etcd
	members []*member
	repo    *backupRepo // nil without backups
}

// newCluster starts etcd and every member, and returns once the cluster is
// healthy (see waitHealthy). Everything it started is killed when the test
// ends, however it ends.
func newCluster(t *testing.T, opts clusterOptions) *cluster {
	t.Helper()
	c := &cluster{t: t, tools: requireTools(t), user: requireServerUser(t), dir: newWorkDir(t)}
	ports := freePorts(t, 2+2*opts.members)
	for i := range opts.members {
		name := fmt.Sprintf("pg%d", i+1)
		dir := filepath.Join(c.dir, name)
		m := &member{
			c: c, name: name, dir: dir,
			dataDir:    filepath.Join(dir, "data"),
			sockDir:    filepath.Join(dir, "sock"),
			configPath: filepath.Join(dir, "patroni.yml"),
			logPath:    filepath.Join(dir, "patroni.log"),
			pgPort:     ports[2+2*i],
			apiPort:    ports[3+2*i],
		}
		c.user.mkdir(t, dir, 0o700)
		c.user.mkdir(t, m.sockDir, 0o700)
		c.members = append(c.members, m)
	}
	// Runs after the members' own cleanups, which kill Patroni's process
	// group: that holds no PostgreSQL process, because Patroni starts the
	// postmaster in a session of its own and every backend makes its own
	// process group.
	t.Cleanup(func() {
		for _, m := range c.members {
			m.killPostgres()
		}
	})
	t.Cleanup(func() {
		if t.Failed() {
			c.logTails()
		}
	})
	c.etcd = startEtcd(t, c.tools, c.dir, ports[0], ports[1])
	switch {
	case opts.repo != nil:
		c.repo = opts.repo(t, c)
	case opts.backups:
		c.repo = newBackupRepo(t, c)
	}
	for _, m := range c.members {
		writePatroniConfig(t, c, m)
	}
	start := time.Now()
	for _, m := range c.members {
		m.start()
	}
	leader := c.waitHealthy(bootstrapTimeout)
	t.Logf("cluster of %d bootstrapped in %.1fs: leader %s", opts.members, time.Since(start).Seconds(), leader.name)
	leader.exec(t, "CREATE TABLE dbha_markers (token text PRIMARY KEY)")
	return c
}

// others returns every member but m.
func (c *cluster) others(m *member) []*member {
	var out []*member
	for _, o := range c.members {
		if o != m {
			out = append(out, o)
		}
	}
	return out
}

// waitHealthy waits until exactly one member leads, it has a synchronous
// standby, and every other member streams from it on its timeline.
func (c *cluster) waitHealthy(timeout time.Duration) *member {
	c.t.Helper()
	var leader *member
	waitFor(c.t, timeout, "cluster healthy", func() error {
		for _, m := range c.members {
			if !m.patroni.running() {
				return giveUp{fmt.Errorf("patroni of %s exited; see %s", m.name, m.logPath)}
			}
		}
		var err error
		leader, err = c.healthyLeader()
		return err
	})
	return leader
}

// healthyLeader checks the whole cluster and returns its leader.
func (c *cluster) healthyLeader() (*member, error) {
	members := c.members
	var leaders []*member
	for _, m := range members {
		if m.isLeader() {
			leaders = append(leaders, m)
		}
	}
	if len(leaders) != 1 {
		return nil, fmt.Errorf("%d members report leader", len(leaders))
	}
	leader := leaders[0]
	var streaming, sync int
	err := leader.queryRow(`SELECT count(*) FILTER (WHERE state = 'streaming'),
	                               count(*) FILTER (WHERE sync_state = 'sync')
	                        FROM pg_stat_replication`, nil, &streaming, &sync)
	if err != nil {
		return nil, err
	}
	if streaming != len(members)-1 || sync != 1 {
		return nil, fmt.Errorf("leader %s: %d replicas streaming, %d synchronous; want %d and 1",
			leader.name, streaming, sync, len(members)-1)
	}
	for _, m := range members {
		if m != leader {
			if err := m.streamsFrom(leader); err != nil {
				return nil, err
			}
		}
	}
	return leader, nil
}

// leader returns the member that currently leads, waiting for one.
func (c *cluster) leader() *member {
	c.t.Helper()
	var leader *member
	waitFor(c.t, 60*time.Second, "a leader", func() error {
		for _, m := range c.members {
			if m.patroni != nil && m.patroni.running() && m.isLeader() {
				leader = m
				return nil
			}
		}
		return fmt.Errorf("no member reports leader")
	})
	return leader
}

// waitLeader waits until one of candidates reports leader and returns it
// with the time that took.
func waitLeader(t *testing.T, candidates []*member, timeout time.Duration) (*member, time.Duration) {
	t.Helper()
	var leader *member
	took := waitFor(t, timeout, "a new leader", func() error {
		for _, m := range candidates {
			if m.isLeader() {
				leader = m
				return nil
			}
		}
		return fmt.Errorf("none of %d candidates reports leader", len(candidates))
	})
	return leader, took
}

// syncStandby returns the member Patroni made the synchronous standby.
func (c *cluster) syncStandby() *member {
	c.t.Helper()
	var sync *member
	waitFor(c.t, 60*time.Second, "a synchronous standby", func() error {
		view, err := c.leader().clusterView()
		if err != nil {
			return err
		}
		for _, vm := range view.Members {
			if vm.Role == "sync_standby" {
				sync = c.member(vm.Name)
				return nil
			}
		}
		return fmt.Errorf("no sync_standby in %+v", view.Members)
	})
	return sync
}

func (c *cluster) member(name string) *member {
	for _, m := range c.members {
		if m.name == name {
			return m
		}
	}
	c.t.Fatalf("no member %q", name)
	return nil
}
