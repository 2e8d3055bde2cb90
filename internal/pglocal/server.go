// Package pglocal runs a real PostgreSQL server from the installed binaries,
// for tests and for the local development stack (no Docker).
package pglocal

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// readyTimeout bounds how long Start waits for the server to accept
// connections; crash recovery after an unclean stop can take a while.
const readyTimeout = 30 * time.Second

// Server is a running (or stopped) local PostgreSQL cluster.
type Server struct {
	opts Options
	run  *runAs

	mu   sync.Mutex
	proc *process // nil when stopped
}

// process is one postmaster run.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once cmd has been waited for
	err    error         // Wait's result; read only after exited is closed
}

func (p *process) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// Start initialises the cluster if needed, starts postgres and waits until
// it accepts connections.
func Start(ctx context.Context, opts Options) (*Server, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	r, err := lookupRunAs()
	if err != nil {
		return nil, err
	}
	if err := prepareDataDir(o.DataDir, r); err != nil {
		return nil, err
	}
	if !isInitialized(o.DataDir) {
		if err := initdb(ctx, o, r); err != nil {
			return nil, err
		}
	}
	s := &Server{opts: o, run: r}
	if err := s.Start(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Start starts the server again after Stop (or after it crashed), on the
// same data directory and port.
func (s *Server) Start(ctx context.Context) error {
	p, err := s.spawn()
	if err != nil {
		return err
	}
	if err := s.waitReady(ctx, p); err != nil {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Stop(stopCtx)
		return err
	}
	return nil
}

func (s *Server) spawn() (*process, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil && !s.proc.hasExited() {
		return nil, errors.New("pglocal: server already running")
	}
	logf, err := openLog(s.opts.LogPath, s.run)
	if err != nil {
		return nil, err
	}
	// The child holds its own copy of the log descriptor.
	defer logf.Close()
	cmd := exec.Command(filepath.Join(s.opts.BinDir, "postgres"), s.opts.serverArgs()...)
	cmd.Dir = s.opts.DataDir
	cmd.Env = serverEnv()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = s.run.sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pglocal: start postgres: %w", err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	s.proc = p
	return p, nil
}

// waitReady polls until our own postmaster accepts connections, failing fast
// if it exits (the log tail says why, e.g. port already in use).
func (s *Server) waitReady(ctx context.Context, p *process) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var lastErr error
	for {
		select {
		case <-p.exited:
			return fmt.Errorf("pglocal: postgres exited during startup (%v)\n%s", p.err, logTail(s.opts.LogPath))
		case <-ctx.Done():
			return fmt.Errorf("pglocal: postgres on port %d not ready: %w (last error: %v)\n%s",
				s.opts.Port, ctx.Err(), lastErr, logTail(s.opts.LogPath))
		case <-tick.C:
			if lastErr = s.ping(ctx); lastErr == nil {
				return nil
			}
		}
	}
}

// Stop shuts the server down with a fast shutdown (SIGINT: abort sessions,
// checkpoint, exit) and waits; if ctx ends first it kills the server's whole
// process group, so no orphaned backend keeps the shared memory that would
// stop the next start on this data directory. Stopping a stopped server is
// a no-op.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.proc
	if p == nil {
		return nil
	}
	s.proc = nil
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.exited:
		return nil
	case <-ctx.Done():
		// The postmaster leads its own process group (Setpgid).
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
		return fmt.Errorf("pglocal: postgres did not stop in time, killed: %w", ctx.Err())
	}
}

// Port returns the TCP port the server listens on.
func (s *Server) Port() int { return s.opts.Port }

// LogPath returns the server log file.
func (s *Server) LogPath() string { return s.opts.LogPath }

// DataDir returns the absolute data directory.
func (s *Server) DataDir() string { return s.opts.DataDir }

// URL returns a superuser connection URL for database.
func (s *Server) URL(database string) string {
	return s.UserURL(database, "postgres", "")
}

// UserURL returns a connection URL for database as user (with password if
// non-empty).
func (s *Server) UserURL(database, user, password string) string {
	u := &url.URL{
		Scheme:   "postgres",
		User:     url.User(user),
		Host:     net.JoinHostPort(s.opts.Host, strconv.Itoa(s.opts.Port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	if password != "" {
		u.User = url.UserPassword(user, password)
	}
	return u.String()
}
