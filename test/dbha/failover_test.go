package dbha_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// failoverLimit is the longest a failover may take from the leader's crash
// to a promoted member: about the TTL (10 s) plus a loop or two.
const failoverLimit = 30 * time.Second

// TestFailoverLosesNoAcknowledgedWrite crashes the leader under a steady
// stream of commits and checks that a replica takes over in time, that
// every commit the old leader acknowledged is on the new one, and that the
// old leader comes back as a replica of the new timeline.
func TestFailoverLosesNoAcknowledgedWrite(t *testing.T) {
	c := newCluster(t, clusterOptions{members: 3})
	old := c.leader()
	old.exec(t, "CREATE TABLE acks (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())")

	w := startWriter(c)
	waitFor(t, 60*time.Second, "writes acknowledged by the leader", func() error {
		if n := w.ackedOn(old.pgPort); n < 300 {
			return fmt.Errorf("%d acknowledged", n)
		}
		return nil
	})

	killed := time.Now()
	old.kill9(t)
	leader, _ := waitLeader(t, c.others(old), 2*failoverLimit)
	took := time.Since(killed)
	t.Logf("killed leader %s (Patroni, postmaster and backends, SIGKILL); %s leads %.1fs later", old.name, leader.name, took.Seconds())
	if took > failoverLimit {
		t.Errorf("failover took %.1fs, want at most %s", took.Seconds(), failoverLimit)
	}

	// Writes must resume on the new leader before we look at what survived.
	waitFor(t, 60*time.Second, "writes acknowledged by the new leader", func() error {
		if n := w.ackedOn(leader.pgPort); n < 100 {
			return fmt.Errorf("%d acknowledged", n)
		}
		return nil
	})
	t.Logf("write outage: first write acknowledged by %s %.1fs after the kill", leader.name, w.firstAckOn(leader.pgPort).Sub(killed).Seconds())
	w.stop()

	acked := w.ackedIDs()
	present := leader.ids(t, "acks")
	lost := missing(acked, present)
	t.Logf("%d writes acknowledged (%d by %s before the crash, %d by %s after), %d attempts failed meanwhile; "+
		"%d rows on %s; %d acknowledged rows lost",
		len(acked), w.ackedOn(old.pgPort), old.name, w.ackedOn(leader.pgPort), leader.name, w.failures(),
		len(present), leader.name, len(lost))
	if len(lost) > 0 {
		t.Fatalf("acknowledged writes lost in the failover: %d, first ids %v", len(lost), lost[:min(10, len(lost))])
	}

	old.start()
	took = c.waitReplicates(old, leader, 120*time.Second)
	t.Logf("%s rejoined as a replica of %s, streaming on its timeline, %.1fs after its restart (pg_rewind ran: %t)",
		old.name, leader.name, took.Seconds(), strings.Contains(readFile(t, old.logPath), "running pg_rewind"))
	if old.isLeader() {
		t.Errorf("%s reports leader after rejoining", old.name)
	}
	if lost := missing(acked, old.ids(t, "acks")); len(lost) > 0 {
		t.Errorf("rejoined %s lacks %d acknowledged rows", old.name, len(lost))
	}
}

// missing returns the ids not in present, in order.
func missing(ids []int64, present map[int64]bool) []int64 {
	var out []int64
	for _, id := range ids {
		if !present[id] {
			out = append(out, id)
		}
	}
	return out
}
