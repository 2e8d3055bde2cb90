package dbagent

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Backup types as pgBackRest names them.
const (
	typeFull = "full"
	typeDiff = "diff"
	typeIncr = "incr"
)

// backupSet is one backup in the repository.
type backupSet struct {
	label string
	typ   string // full, diff or incr
	stop  time.Time
}

// newest returns the latest stop time among backups of typ ("" for any).
func newest(backups []backupSet, typ string) (time.Time, bool) {
	var latest time.Time
	found := false
	for _, b := range backups {
		if (typ == "" || b.typ == typ) && (!found || b.stop.After(latest)) {
			latest, found = b.stop, true
		}
	}
	return latest, found
}

// nextBackup decides from the repository alone which backup is due: a full
// one when there is none or the newest is older than fullEvery, else a
// differential when even the newest backup of any type is older than
// diffEvery, else none (""). Deciding from the repository, not from memory,
// keeps the schedule across restarts and failovers.
func nextBackup(now time.Time, backups []backupSet, fullEvery, diffEvery time.Duration) string {
	full, ok := newest(backups, typeFull)
	if !ok || now.Sub(full) > fullEvery {
		return typeFull
	}
	latest, _ := newest(backups, "")
	if now.Sub(latest) > diffEvery {
		return typeDiff
	}
	return ""
}

// statusOther is pgBackRest's code for a stanza or repository it could not
// read (permissions, network, a broken file). `info` still exits 0 then.
const statusOther = 99

// parseInfo reads `pgbackrest --output=json info` for stanza. A stanza
// that does not exist yet (code 1, "missing stanza path") or has no valid
// backups (code 2) simply has no backups; code 99 means the repository
// could not be read, which is an error.
func parseInfo(out []byte, stanza string) ([]backupSet, error) {
	var stanzas []struct {
		Name   string `json:"name"`
		Status struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"status"`
		Repo []struct {
			Key    int `json:"key"`
			Status struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"status"`
		} `json:"repo"`
		Backup []struct {
			Label     string `json:"label"`
			Type      string `json:"type"`
			Timestamp struct {
				Stop int64 `json:"stop"`
			} `json:"timestamp"`
		} `json:"backup"`
	}
	if err := json.Unmarshal(out, &stanzas); err != nil {
		return nil, fmt.Errorf("info: %w", err)
	}
	for _, s := range stanzas {
		if s.Name != stanza {
			continue
		}
		if s.Status.Code == statusOther {
			// The stanza's message is only "other"; the repository's says why.
			msg := s.Status.Message
			for _, r := range s.Repo {
				if r.Status.Code != 0 {
					msg = fmt.Sprintf("repo%d: %s", r.Key, r.Status.Message)
				}
			}
			return nil, fmt.Errorf("info: stanza %s: %s", stanza, msg)
		}
		backups := make([]backupSet, 0, len(s.Backup))
		for _, b := range s.Backup {
			backups = append(backups, backupSet{label: b.Label, typ: b.Type, stop: time.Unix(b.Timestamp.Stop, 0)})
		}
		return backups, nil
	}
	return nil, fmt.Errorf("info: stanza %s not in the output", stanza)
}

// outputTail is how much of pgBackRest's output a failure reports: the
// end, where its ERROR lines are.
const outputTail = 2048

// stopGrace is how long pgBackRest gets to stop after SIGTERM before it is
// killed; it normally exits at once, leaving a resumable backup.
const stopGrace = 30 * time.Second

// pgBackRest runs the pgbackrest binary for one stanza. The agent's
// environment passes through, so PGBACKREST_CONFIG and PGBACKREST_REPO1_*
// reach it.
type pgBackRest struct {
	bin, stanza string
	// quickTimeout bounds info and stanza-create, which run in the check
	// loop: a repository that hangs (an unanswering S3 endpoint) must not
	// stop the loop, or leadership and the metrics would go stale with it.
	// Backups run beside the loop and have no bound of their own.
	quickTimeout time.Duration
}

// defaultQuickTimeout is pgBackRest's own io-timeout (60 s) twice over.
const defaultQuickTimeout = 2 * time.Minute

func (p pgBackRest) quick(ctx context.Context) (context.Context, context.CancelFunc) {
	timeout := p.quickTimeout
	if timeout <= 0 {
		timeout = defaultQuickTimeout
	}
	return context.WithTimeoutCause(ctx, timeout, fmt.Errorf("pgbackrest did not finish within %s", timeout))
}

// info lists the stanza's backups. Console logging is off so that no log
// line a configured log-level-console would print mixes with the JSON on
// stdout; warnings and errors still reach stderr.
func (p pgBackRest) info(ctx context.Context) ([]backupSet, error) {
	ctx, cancel := p.quick(ctx)
	defer cancel()
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: outputTail}
	if err := p.run(ctx, &stdout, stderr, "--output=json", "--log-level-console=off", "info"); err != nil {
		return nil, fmt.Errorf("pgbackrest info: %w: %s", err, stderr)
	}
	return parseInfo(stdout.Bytes(), p.stanza)
}

func (p pgBackRest) stanzaCreate(ctx context.Context) error {
	ctx, cancel := p.quick(ctx)
	defer cancel()
	out := &tailBuffer{max: outputTail}
	if err := p.run(ctx, out, out, "stanza-create"); err != nil {
		return fmt.Errorf("pgbackrest stanza-create: %w: %s", err, out)
	}
	return nil
}

func (p pgBackRest) backup(ctx context.Context, typ string) error {
	out := &tailBuffer{max: outputTail}
	if err := p.run(ctx, out, out, "backup", "--type="+typ); err != nil {
		return fmt.Errorf("pgbackrest backup --type=%s: %w: %s", typ, err, out)
	}
	return nil
}

// run runs pgbackrest to completion. When ctx ends it gets SIGTERM, which
// it handles by stopping cleanly, and is waited for; only past stopGrace is
// it killed.
func (p pgBackRest) run(ctx context.Context, stdout, stderr io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, p.bin, append([]string{"--stanza=" + p.stanza}, args...)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = stopGrace
	err := cmd.Run()
	if err != nil && ctx.Err() != nil {
		// ctx.Err() for errors.Is; the cause says why (a signal, say).
		if cause := context.Cause(ctx); cause != ctx.Err() {
			return fmt.Errorf("%w (%v): %w", ctx.Err(), cause, err)
		}
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
	cut bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		// A fresh slice, so the dropped head is not kept alive.
		t.buf = append([]byte(nil), t.buf[over:]...)
		t.cut = true
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	s := strings.TrimSpace(string(t.buf))
	if t.cut {
		return "..." + s
	}
	if s == "" {
		return "(no output)"
	}
	return s
}
