package devstack

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// child is one running `serve` process.
type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed after Wait returned
	err  error         // Wait's result; read only after done is closed
}

// sysProcAttr gives each child its own process group, so a terminal Ctrl-C
// reaches only devstack, which then stops services before PostgreSQL; and
// SIGTERM if devstack dies, so no orphan keeps holding its ports.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// startChild starts path with args, tagging its output with name, and
// reports its exit on exits.
func startChild(name, path string, args, env []string, out *Output, exits chan<- *child) (*child, error) {
	cmd := exec.Command(path, args...)
	cmd.Env = env
	stdout, stderr := out.Writer(name), out.Writer(name)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = sysProcAttr()
	// A grandchild holding the pipes open must not block Wait forever.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		stdout.Flush()
		stderr.Flush()
		close(c.done)
		exits <- c
	}()
	return c, nil
}

// signal sends sig to the child's whole process group.
func (c *child) signal(sig syscall.Signal) {
	_ = syscall.Kill(-c.cmd.Process.Pid, sig)
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// stopAll sends SIGTERM to every child still running, waits up to grace,
// then SIGKILLs the rest and waits for them.
func stopAll(children []*child, grace time.Duration, out *Output) {
	for _, c := range children {
		if !c.exited() {
			c.signal(syscall.SIGTERM)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	for _, c := range children {
		select {
		case <-c.done:
		case <-ctx.Done():
			out.Printf("devstack", "%s did not stop within %v: killing it", c.name, grace)
			c.signal(syscall.SIGKILL)
			<-c.done
		}
	}
}

// runStep runs `<path> <step>` to completion (migrate, seed), streaming its
// output; SIGTERM on cancellation lets it roll back cleanly.
func runStep(ctx context.Context, name, path string, args, env []string, out *Output) error {
	step := strings.Join(args, " ")
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = env
	w := out.Writer(name)
	defer w.Flush()
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = sysProcAttr()
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("%s %s failed (%v); its output is above", name, step, err)
		}
		return fmt.Errorf("%s %s: %w", name, step, err)
	}
	return nil
}
