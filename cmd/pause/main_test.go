package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// An exited child is reaped (no zombie stays behind).
func TestReapCollectsExitedChildren(t *testing.T) {
	child := exec.Command("true")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// Block until the child has exited, leaving it unreaped (a zombie).
	var info unix.Siginfo
	if err := unix.Waitid(unix.P_PID, child.Process.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil); err != nil {
		t.Fatal(err)
	}
	reap()
	var ws syscall.WaitStatus
	if _, err := syscall.Wait4(child.Process.Pid, &ws, syscall.WNOHANG, nil); !errors.Is(err, syscall.ECHILD) {
		t.Fatalf("child still waitable (err %v): not reaped", err)
	}
}

// SIGCHLD keeps the loop reaping; a stop signal ends it, so the sandbox
// exits at once. The sends are unbuffered: each completes only when serve
// takes it, so a loop that had returned would miss the deadline.
func TestStopEndsServe(t *testing.T) {
	stop, children := make(chan os.Signal), make(chan os.Signal)
	done := make(chan struct{})
	go func() { serve(stop, children); close(done) }()
	deadline := time.After(10 * time.Second)
	for i := 0; i < 2; i++ {
		select {
		case children <- syscall.SIGCHLD:
		case <-done:
			t.Fatal("serve returned on SIGCHLD; it must keep running until stopped")
		case <-deadline:
			t.Fatal("serve did not take SIGCHLD")
		}
	}
	select {
	case stop <- syscall.SIGTERM:
	case <-deadline:
		t.Fatal("serve did not take the stop signal")
	}
	select {
	case <-done:
	case <-deadline:
		t.Fatal("serve kept running after the stop signal")
	}
}
