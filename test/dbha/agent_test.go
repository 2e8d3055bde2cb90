package dbha_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// Series the test reads; labels are exposed sorted by name.
const (
	seriesLeader       = "shipshape_dbagent_leader"
	seriesRepoUp       = "shipshape_backup_repo_up"
	seriesFullOK       = `shipshape_backup_runs_total{result="success",type="full"}`
	seriesFullFailed   = `shipshape_backup_runs_total{result="failure",type="full"}`
	seriesDiffOK       = `shipshape_backup_runs_total{result="success",type="diff"}`
	seriesDiffFailed   = `shipshape_backup_runs_total{result="failure",type="diff"}`
	seriesLastFull     = `shipshape_backup_last_success_timestamp_seconds{type="full"}`
	seriesLastDiff     = `shipshape_backup_last_success_timestamp_seconds{type="diff"}`
	seriesRoleSyncOK   = `shipshape_role_sync_runs_total{result="success"}`
	seriesRoleSyncFail = `shipshape_role_sync_runs_total{result="failure"}`
	seriesArchived     = "shipshape_wal_archive_last_success_timestamp_seconds"
)

func equals(want float64) func(float64) bool  { return func(v float64) bool { return v == want } }
func atLeast(want float64) func(float64) bool { return func(v float64) bool { return v >= want } }

// TestAgentBacksUpAndSyncsRolesOnlyOnTheLeader runs cmd/dbagent beside each
// member of a two-member cluster archiving to pgBackRest: only the
// leader's agent syncs roles and backs up, on the schedule the repository's
// own state gives; both report the repository; after a switchover the new
// leader's agent carries on the schedule without starting over with a full
// backup.
func TestAgentBacksUpAndSyncsRolesOnlyOnTheLeader(t *testing.T) {
	began := time.Now()
	c := newCluster(t, clusterOptions{members: 2, backups: true})
	bin := buildAgent(t, c.dir)
	token := fmt.Sprintf("%d", time.Now().UnixNano())
	passwords := map[string]string{"identity": "identity-pw-" + token, "catalog": "catalog-pw-" + token}
	env := []string{
		"DBAGENT_PASSWORDS_DIR=" + writePasswords(t, c, passwords),
		"DBAGENT_CHECK_EVERY=500ms",
		"DBAGENT_FULL_BACKUP_EVERY=1h",
		"DBAGENT_DIFF_BACKUP_EVERY=3s",
		// The members share one lock directory here, so a backup the old
		// leader's agent is still cancelling during the switchover can
		// make the new leader's first attempt fail on the lock.
		"DBAGENT_BACKUP_RETRY_AFTER=1s",
	}
	leader := c.leader()
	replica := c.others(leader)[0]
	ports := freePorts(t, 2)
	// Named by their members' roles until the switchover swaps them.
	onLeader := startAgent(t, c, leader, bin, ports[0], env...)
	onReplica := startAgent(t, c, replica, bin, ports[1], env...)

	onLeader.waitMetric(t, 30*time.Second, seriesLeader, equals(1), "= 1")
	// repo_up is set at the end of a check: the replica's agent has asked
	// Patroni by then.
	onReplica.waitMetric(t, 30*time.Second, seriesRepoUp, equals(1), "= 1")
	if v := onReplica.metric(t, seriesLeader); v != 0 {
		t.Fatalf("the replica's agent reports leader %v", v)
	}

	for role, pw := range passwords {
		waitFor(t, 30*time.Second, role+" logs in on the leader", func() error { return roleLogin(leader, role, pw) })
	}

	// The repository starts empty: one full backup, and nothing else until
	// it is older than the diff interval. The agent's counter says when to
	// look; the repository is what must hold the backups.
	onLeader.waitMetric(t, 60*time.Second, seriesFullOK, atLeast(1), ">= 1")
	sets := c.repo.backups(t)
	if len(sets) != 1 || sets[0].Type != "full" {
		t.Fatalf("first backups in the repository: %+v, want one full", sets)
	}
	fullStop := sets[0].Timestamp.Stop
	onLeader.waitMetric(t, 30*time.Second, seriesDiffOK, atLeast(1), ">= 1")
	sets = c.repo.backups(t)
	if n := countTypes(sets); n["full"] != 1 {
		t.Errorf("backups %v, want still one full", n)
	}
	var gap int64
	for _, s := range sets { // oldest first
		if s.Type == "diff" {
			gap = s.Timestamp.Stop - fullStop
			break
		}
	}
	t.Logf("full backup %s, first diff stopped %ds after it", sets[0].Label, gap)
	if gap < 3 {
		t.Errorf("diff stopped %ds after the full, before the 3s interval had passed", gap)
	}
	if v := onLeader.metric(t, seriesFullOK); v != 1 {
		t.Errorf("leader's agent: %s = %v, want 1", seriesFullOK, v)
	}
	if v := onLeader.metric(t, seriesRoleSyncOK); v < 1 {
		t.Errorf("leader's agent: %s = %v", seriesRoleSyncOK, v)
	}
	// A backup ends with a WAL switch, so the leader has archived since the
	// test began; a replica archives nothing and says nothing about it.
	waitFor(t, 30*time.Second, "the leader's agent to report WAL archiving", func() error {
		ms, err := onLeader.metrics()
		if err != nil {
			return err
		}
		if v := ms[seriesArchived]; v < float64(began.Unix()) {
			return fmt.Errorf("%s = %v", seriesArchived, v)
		}
		return nil
	})
	if ms, err := onReplica.metrics(); err != nil || ms[seriesArchived] != 0 {
		t.Errorf("replica's agent: %s = %v (%v), want no series", seriesArchived, ms[seriesArchived], err)
	}

	// Roles and databases reach the replica like any other change.
	for role, pw := range passwords {
		waitFor(t, 30*time.Second, role+" logs in on the replica", func() error { return roleLogin(replica, role, pw) })
	}

	// The replica's agent did none of the leader's work, yet reports the
	// repository as it is.
	for _, s := range []string{seriesFullOK, seriesFullFailed, seriesDiffOK, seriesDiffFailed, seriesRoleSyncOK, seriesRoleSyncFail} {
		if v := onReplica.metric(t, s); v != 0 {
			t.Errorf("replica's agent: %s = %v, want 0", s, v)
		}
	}
	waitFor(t, 30*time.Second, "the replica's agent reporting the repository's newest backups", func() error {
		sets := c.repo.backups(t)
		ms, err := onReplica.metrics()
		if err != nil {
			return err
		}
		full, diff := float64(newestOf(sets, "full")), float64(newestOf(sets, "diff"))
		if ms[seriesLastFull] != full || ms[seriesLastDiff] != diff {
			return fmt.Errorf("reports full %v diff %v; the repository has %v and %v", ms[seriesLastFull], ms[seriesLastDiff], full, diff)
		}
		return nil
	})

	// A switchover: the other agent takes over the schedule.
	out := leader.patronictl(t, "switchover", "--leader", leader.name, "--candidate", replica.name, "--force")
	if !strings.Contains(out, "Successfully switched over") {
		t.Fatalf("patronictl switchover:\n%s", out)
	}
	switched := time.Now()
	waitLeader(t, []*member{replica}, 60*time.Second)
	onReplica.waitMetric(t, 30*time.Second, seriesLeader, equals(1), "= 1 after the switchover")
	onLeader.waitMetric(t, 30*time.Second, seriesLeader, equals(0), "= 0 after the switchover")
	onReplica.waitMetric(t, 60*time.Second, seriesDiffOK, atLeast(1), ">= 1 after the switchover")
	t.Logf("new leader's agent made its first diff %.1fs after the switchover", time.Since(switched).Seconds())
	onReplica.waitMetric(t, 30*time.Second, seriesRoleSyncOK, atLeast(1), ">= 1 (synced at the start of its term)")
	if v := onReplica.metric(t, seriesFullOK) + onReplica.metric(t, seriesFullFailed); v != 0 {
		t.Errorf("new leader's agent ran %v full backups; the repository's full was fresh", v)
	}
	if n := countTypes(c.repo.backups(t)); n["full"] != 1 {
		t.Errorf("backups after the switchover %v, want still one full", n)
	}

	// Patroni reports the new primary before PostgreSQL leaves recovery;
	// the agent waits for that instead of failing a role sync.
	for _, a := range []*agentProc{onLeader, onReplica} {
		if v := a.metric(t, seriesRoleSyncFail); v != 0 {
			t.Errorf("dbagent %s: %s = %v, want 0", a.m.name, seriesRoleSyncFail, v)
		}
	}
	t.Logf("failed backups: %v by the old leader's agent, %v by the new one's (cancelled ones are not counted)",
		onLeader.metric(t, seriesDiffFailed), onReplica.metric(t, seriesDiffFailed))

	// The pod is deleted while a backup runs: the agent stops pgBackRest,
	// waits for it and exits 0, and the repository takes the next backup.
	onLeader.stop(t)
	var pid int
	waitFor(t, 30*time.Second, "a backup running under the new leader's agent", func() error {
		if pid = onReplica.runningBackup(); pid == 0 {
			return fmt.Errorf("none")
		}
		return nil
	})
	onReplica.stop(t)
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
		t.Errorf("pgbackrest backup (pid %d) outlived the agent", pid)
	}
	c.repo.run(t, "--type=diff", "backup")
	t.Logf("whole test %.1fs", time.Since(began).Seconds())
}
