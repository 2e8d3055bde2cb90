package dbha_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// proc is a long-running process we started, leading its own process group
// so that one signal reaches it and everything it spawned (Patroni's
// pg_basebackup and pg_rewind, for example).
type proc struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{} // closed once the process has been reaped
}

// procSpec says what to run; output goes to logPath (appended).
type procSpec struct {
	name    string
	argv    []string
	dir     string // working directory; also how stray processes are found (see workdir_test.go)
	env     []string
	logPath string
	user    *serverUser // nil: run as ourselves
}

// startProc starts spec and registers a cleanup that kills its process group.
func startProc(t testing.TB, spec procSpec) *proc {
	t.Helper()
	logf, err := os.OpenFile(spec.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	// The child has its own copy of the descriptor.
	defer logf.Close()
	cmd := exec.Command(spec.argv[0], spec.argv[1:]...)
	cmd.Dir, cmd.Env = spec.dir, spec.env
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = procAttr(spec.user)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", spec.name, err)
	}
	p := &proc{name: spec.name, cmd: cmd, logPath: spec.logPath, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.kill(t) })
	return p
}

// procAttr puts the child in its own process group and has the kernel kill
// it if the test binary dies without running its cleanups.
func procAttr(u *serverUser) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if u != nil {
		attr.Credential = u.cred
	}
	return attr
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// kill SIGKILLs the whole process group and waits until the leader is reaped.
func (p *proc) kill(t testing.TB) {
	_ = syscall.Kill(-p.pid(), syscall.SIGKILL)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Errorf("%s (pid %d) survived SIGKILL for 30s", p.name, p.pid())
	}
}

// terminate sends SIGTERM to the process only (it shuts its children down
// itself) and waits for it to exit.
func (p *proc) terminate(timeout time.Duration) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("%s (pid %d) still running %s after SIGTERM", p.name, p.pid(), timeout)
	}
}

// runCommand runs a short-lived command to completion and returns its
// combined output. A timeout kills its whole process group.
func runCommand(ctx context.Context, spec procSpec, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, spec.argv[0], spec.argv[1:]...)
	cmd.Dir, cmd.Env = spec.dir, spec.env
	cmd.SysProcAttr = procAttr(spec.user)
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%w (timed out after %s)", err, timeout)
	}
	return string(out), err
}
