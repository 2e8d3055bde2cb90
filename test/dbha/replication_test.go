package dbha_test

import (
	"fmt"
	"strconv"
	"time"
)

// timeline is the leader's current timeline, from the name of the WAL file
// it writes (its first 8 hex digits). pg_control_checkpoint() would lag
// behind a promotion until the next checkpoint.
func (m *member) timeline() (int, error) {
	var walFile string
	if err := m.queryRow("SELECT pg_walfile_name(pg_current_wal_lsn())", nil, &walFile); err != nil {
		return 0, err
	}
	if len(walFile) < 8 {
		return 0, fmt.Errorf("%s: odd WAL file name %q", m.name, walFile)
	}
	tli, err := strconv.ParseInt(walFile[:8], 16, 32)
	return int(tli), err
}

// streamsFrom reports nil when m's WAL receiver streams from leader on the
// leader's timeline. Patroni's REST /replica answers 200 for a member that
// runs as a replica even when it stayed on an old timeline and replicates
// nothing, so this asks PostgreSQL itself.
func (m *member) streamsFrom(leader *member) error {
	var status string
	var tli, senderPort int
	err := m.queryRow("SELECT status, received_tli, coalesce(sender_port, 0) FROM pg_stat_wal_receiver", nil,
		&status, &tli, &senderPort)
	if err != nil {
		return fmt.Errorf("%s WAL receiver: %w", m.name, err)
	}
	leaderTLI, err := leader.timeline()
	if err != nil {
		return err
	}
	if status != "streaming" || senderPort != leader.pgPort || tli != leaderTLI {
		return fmt.Errorf("%s: WAL receiver %s from port %d on timeline %d; want streaming from %s (port %d) on timeline %d",
			m.name, status, senderPort, tli, leader.name, leader.pgPort, leaderTLI)
	}
	return nil
}

// waitReplicates waits until replica streams from leader and a row written
// on the leader after that shows up on the replica, and reports how long it
// took from the call.
func (c *cluster) waitReplicates(replica, leader *member, timeout time.Duration) time.Duration {
	c.t.Helper()
	start := time.Now()
	waitFor(c.t, timeout, replica.name+" streaming from "+leader.name, func() error {
		if !replica.patroni.running() {
			return giveUp{fmt.Errorf("patroni of %s exited; see %s", replica.name, replica.logPath)}
		}
		return replica.streamsFrom(leader)
	})
	token := fmt.Sprintf("%s-after-%s-%d", replica.name, leader.name, time.Now().UnixNano())
	leader.exec(c.t, "INSERT INTO dbha_markers VALUES ($1)", token)
	waitFor(c.t, timeout-time.Since(start), "marker replicated to "+replica.name, func() error {
		var n int
		if err := replica.queryRow("SELECT count(*) FROM dbha_markers WHERE token = $1", []any{token}, &n); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("marker %s not on %s yet", token, replica.name)
		}
		return nil
	})
	return time.Since(start)
}
