package dbagent

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/adminserver"
	platformmetrics "github.com/shipshape-dev/shipshape/internal/platform/metrics"
	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
)

// Run serves the admin endpoints and checks every cfg.CheckEvery until ctx
// ends; a running backup is then stopped and waited for. It returns nil
// after an orderly shutdown.
func Run(ctx context.Context, cfg Config, logger *slog.Logger) error {
	return run(ctx, cfg, logger, nil)
}

// run is Run that reports the admin server's bound address (for tests
// listening on port 0).
func run(ctx context.Context, cfg Config, logger *slog.Logger, listening func(addr string)) error {
	reg := platformmetrics.NewRegistry()
	m := newMetrics(reg, cfg)
	a := newAgent(cfg, logger, m)
	fence, err := newFence(cfg, logger, m)
	if err != nil {
		return err
	}
	err = adminserver.Run(ctx, adminserver.Options{
		Addr:     cfg.AdminAddr,
		Registry: reg,
		Listening: func(addr string) {
			logger.Info("dbagent started", "admin", addr, "patroni", cfg.PatroniURL, "stanza", cfg.Stanza,
				"fence", fence != nil, "member", cfg.Member)
			if listening != nil {
				listening(addr)
			}
		},
	}, func(ctx context.Context) {
		var fencing sync.WaitGroup
		if fence != nil {
			fencing.Go(func() { periodic.Every(ctx, cfg.FenceEvery, true, fence.check) })
		}
		periodic.Every(ctx, cfg.CheckEvery, true, a.check)
		a.stopBackup()
		fencing.Wait()
	})
	if err != nil {
		return err
	}
	logger.Info("dbagent stopped")
	return nil
}

// agent holds the loop's state; only the loop's goroutine touches it.
type agent struct {
	cfg      Config
	log      *slog.Logger
	m        *metrics
	isLeader func(context.Context) (bool, error)
	primary  func(context.Context) (primaryState, error)
	repo     pgBackRest
	roles    *roleSync
	now      func() time.Time

	leading      bool
	leaderStatus string // as last logged: leader, replica or unknown
	primaryLog   string // the local PostgreSQL's state as last logged in this term
	repoStatus   string // the last info error logged, "" while readable
	stanzaReady  bool   // stanza-create succeeded in this leadership term
	lastFailure  time.Time
	running      *backupRun // nil when no backup runs
}

// backupRun is a backup in progress; it runs beside the loop so that
// leadership and the repository are still watched during a long backup.
type backupRun struct {
	typ    string
	cancel context.CancelFunc
	done   chan struct{} // closed when err and took are set
	err    error
	took   time.Duration
}

func newAgent(cfg Config, logger *slog.Logger, m *metrics) *agent {
	return &agent{
		cfg: cfg, log: logger, m: m,
		isLeader: newLeaderCheck(cfg.PatroniURL).isLeader,
		primary:  func(ctx context.Context) (primaryState, error) { return checkPrimary(ctx, cfg.DatabaseURL) },
		repo:     pgBackRest{bin: cfg.PgBackRest, stanza: cfg.Stanza},
		roles:    &roleSync{dir: cfg.PasswordsDir, databaseURL: cfg.DatabaseURL, every: cfg.RoleSyncEvery},
		now:      time.Now,
	}
}

// check is one pass: who leads, the leader's duties, and the repository's
// state as every member reports it.
func (a *agent) check(ctx context.Context) {
	leading := a.checkLeader(ctx)
	if ctx.Err() != nil {
		return // shutting down: a failed check now means nothing
	}
	if leading != a.leading {
		if !leading {
			// Another member leads now and will back up itself; two backups
			// would fight over the repository's lock.
			a.stopBackup()
		}
		a.roles.reset()
		a.stanzaReady = false
		a.primaryLog = ""
		a.leading = leading
	}
	a.collectBackup()
	mayBackUp, writable := false, false
	if leading {
		state := a.checkPrimary(ctx)
		if writable = state.writable; writable {
			a.m.setArchive(state)
			a.syncRoles(ctx)
		}
		if state.settled {
			a.ensureStanza(ctx)
			mayBackUp = a.stanzaReady
		}
	}
	if !writable {
		a.m.clearArchive() // only a writable primary archives
	}
	backups, err := a.repo.info(ctx)
	if ctx.Err() != nil {
		return
	}
	a.recordRepo(backups, err)
	if mayBackUp && err == nil {
		a.maybeStartBackup(ctx, backups)
	}
}

// checkPrimary asks the local PostgreSQL how far its promotion is and logs
// each change once per term.
func (a *agent) checkPrimary(ctx context.Context) primaryState {
	state, err := a.primary(ctx)
	status := state.String()
	if err != nil {
		status = err.Error()
	}
	if status != a.primaryLog && ctx.Err() == nil {
		a.primaryLog = status
		if err != nil {
			// Also seen for a moment in every switchover, while Patroni
			// stops the old primary before it gives up the lock.
			a.log.Warn("leading, but the local PostgreSQL cannot be asked; leader work waits", "error", err)
		} else {
			a.log.Info("leading; local PostgreSQL "+status, "writable", state.writable, "ready_for_backups", state.settled)
		}
	}
	return state
}

// checkLeader asks Patroni and logs only changes, so an unreachable API
// does not log every few seconds.
func (a *agent) checkLeader(ctx context.Context) bool {
	leading, err := a.isLeader(ctx)
	status := "replica"
	switch {
	case err != nil:
		status = "unknown"
	case leading:
		status = "leader"
	}
	a.m.setLeader(leading)
	if status != a.leaderStatus && ctx.Err() == nil {
		a.leaderStatus = status
		if err != nil {
			a.log.Warn("patroni: cannot tell whether this member leads; acting as a replica", "error", err)
		} else {
			a.log.Info("patroni: role changed", "role", status)
		}
	}
	return leading
}

func (a *agent) syncRoles(ctx context.Context) {
	ran, names, err := a.roles.run(ctx, a.now())
	if !ran || ctx.Err() != nil {
		return
	}
	a.m.roleSync(err)
	if err != nil {
		a.log.Error("role sync failed", "roles", names, "error", err)
		return
	}
	a.log.Info("roles synced", "roles", names)
}

// ensureStanza runs stanza-create once per leadership term: it is
// idempotent, and after a failover the new leader makes sure the stanza
// matches its database.
func (a *agent) ensureStanza(ctx context.Context) {
	if a.stanzaReady || a.retryPending() {
		return
	}
	if err := a.repo.stanzaCreate(ctx); err != nil {
		if ctx.Err() == nil {
			a.lastFailure = a.now()
			a.log.Error("stanza-create failed", "stanza", a.cfg.Stanza, "retry_after", a.cfg.BackupRetryAfter.String(), "error", err)
		}
		return
	}
	a.stanzaReady = true
	a.log.Info("stanza ready", "stanza", a.cfg.Stanza)
}

// recordRepo updates the metrics from info and logs only changes in the
// repository's readability.
func (a *agent) recordRepo(backups []backupSet, err error) {
	if err != nil {
		a.m.setRepoDown()
		if err.Error() != a.repoStatus {
			a.repoStatus = err.Error()
			a.log.Error("backup repository unreadable", "error", err)
		}
		return
	}
	a.m.setRepo(backups)
	if a.repoStatus != "" {
		a.repoStatus = ""
		a.log.Info("backup repository readable again")
	}
}

// retryPending is true within BackupRetryAfter of a failed stanza-create
// or backup, so a broken repository is not hammered every check.
func (a *agent) retryPending() bool {
	return !a.lastFailure.IsZero() && a.now().Sub(a.lastFailure) < a.cfg.BackupRetryAfter
}

func (a *agent) maybeStartBackup(ctx context.Context, backups []backupSet) {
	if a.running != nil || a.retryPending() {
		return
	}
	typ := nextBackup(a.now(), backups, a.cfg.FullBackupEvery, a.cfg.DiffBackupEvery)
	if typ == "" {
		return
	}
	runCtx, cancel := context.WithCancel(ctx)
	r := &backupRun{typ: typ, cancel: cancel, done: make(chan struct{})}
	a.running = r
	a.log.Info("backup started", "type", typ)
	go func() {
		start := time.Now()
		r.err = a.repo.backup(runCtx, typ)
		r.took = time.Since(start)
		close(r.done)
	}()
}

// collectBackup records a finished backup, if any.
func (a *agent) collectBackup() {
	if a.running == nil {
		return
	}
	select {
	case <-a.running.done:
		a.finishBackup()
	default:
	}
}

// stopBackup cancels a running backup (SIGTERM to pgbackrest) and waits
// for it.
func (a *agent) stopBackup() {
	if a.running == nil {
		return
	}
	a.running.cancel()
	<-a.running.done
	a.finishBackup()
}

func (a *agent) finishBackup() {
	r := a.running
	a.running = nil
	r.cancel()
	// Stopped by us (shutdown, leadership lost): not a failure of the
	// backup, so neither counted nor delaying the next leader's attempt.
	if errors.Is(r.err, context.Canceled) {
		a.log.Warn("backup cancelled", "type", r.typ, "seconds", r.took.Seconds(), "error", r.err)
		return
	}
	a.m.backupRun(r.typ, r.took, r.err)
	if r.err != nil {
		a.lastFailure = a.now()
		a.log.Error("backup failed", "type", r.typ, "seconds", r.took.Seconds(),
			"retry_after", a.cfg.BackupRetryAfter.String(), "error", r.err)
		return
	}
	a.log.Info("backup succeeded", "type", r.typ, "seconds", r.took.Seconds())
}
