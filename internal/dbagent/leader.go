package dbagent

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// leaderTimeout bounds one question to Patroni; a member whose REST API
// hangs is treated as not leading rather than stalling the loop.
const leaderTimeout = 5 * time.Second

// leaderCheck asks the local Patroni whether this member is the primary.
type leaderCheck struct {
	url    string // Patroni's REST API base URL
	client *http.Client
}

func newLeaderCheck(patroniURL string) leaderCheck {
	return leaderCheck{url: strings.TrimRight(patroniURL, "/"), client: &http.Client{Timeout: leaderTimeout}}
}

// isLeader is GET /primary: 200 means this member runs PostgreSQL as the
// primary and holds the leader lock, 503 that it does not. Anything else is
// reported as an error and counts as not leading: doing leader-only work
// on a member that merely might lead is what this check exists to prevent.
func (c leaderCheck) isLeader(ctx context.Context) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url+"/primary", nil)
	if err != nil {
		return false, err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	// Drained so the connection is reused on the next check.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusServiceUnavailable:
		return false, nil
	}
	return false, fmt.Errorf("GET %s/primary: unexpected status %s", c.url, resp.Status)
}

// primaryState is how far the local PostgreSQL is into being the primary.
// Patroni answers /primary with 200 as soon as it has asked PostgreSQL to
// promote, before PostgreSQL leaves recovery (an ALTER ROLE then fails as
// read-only) and before the checkpoint on the new timeline (pgBackRest
// then refuses to back up: "WAL timeline 2 does not match pg_control
// timeline 1"). Waiting for each keeps a failover from counting as failed
// runs.
type primaryState struct {
	writable bool // out of recovery
	settled  bool // writable, and the last checkpoint is on the current timeline
	// From pg_stat_archiver: when archive_command last succeeded and last
	// failed (Unix seconds; nil when it never did since the statistics
	// were reset). Only the primary archives.
	lastArchived, lastArchiveFailure *float64
}

func (s primaryState) String() string {
	switch {
	case s.settled:
		return "ready"
	case s.writable:
		return "writable, waiting for the checkpoint on the new timeline"
	}
	return "still in recovery"
}

// checkPrimary asks the local PostgreSQL. pg_walfile_name names the
// timeline WAL is written on; the CASE keeps it from running in recovery,
// where it fails.
func checkPrimary(ctx context.Context, databaseURL string) (primaryState, error) {
	conn, err := connect(ctx, databaseURL)
	if err != nil {
		return primaryState{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var s primaryState
	err = conn.QueryRow(ctx, `SELECT NOT pg_is_in_recovery(),
	       CASE WHEN pg_is_in_recovery() THEN false
	            ELSE (SELECT timeline_id FROM pg_control_checkpoint())
	                 = ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
	       END,
	       extract(epoch FROM a.last_archived_time)::float8,
	       extract(epoch FROM a.last_failed_time)::float8
	  FROM pg_stat_archiver a`).Scan(&s.writable, &s.settled, &s.lastArchived, &s.lastArchiveFailure)
	if err != nil {
		return primaryState{}, fmt.Errorf("local postgres: %w", err)
	}
	return s, nil
}
