package stacktest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/freeport"
	"github.com/shipshape-dev/shipshape/internal/gobuild"
)

// Build compiles one of this module's commands ("cmd/catalog") into a
// temporary directory and returns the binary's path (static and -trimpath,
// as every build of them: internal/gobuild).
func Build(t testing.TB, command string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(command))
	if err := gobuild.Command(context.Background(), bin, command); err != nil {
		t.Fatal(err)
	}
	return bin
}

// FreeAddr returns a loopback address for a child process to listen on
// (internal/freeport).
func FreeAddr(t testing.TB) string {
	t.Helper()
	addr, err := freeport.Addr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// Process is a service binary running as its own process (for tests of
// signals and crashes, which in-process services cannot show).
type Process struct {
	Cmd               *exec.Cmd
	HTTP, GRPC, Admin string // bound addresses
	done              chan struct{}
	err               error
}

// StartProcess runs `bin serve` with env (its listener addresses replaced by
// free ones), waits until /readyz answers 200 and kills it when the test
// ends, also when the test failed.
func StartProcess(t testing.TB, bin string, env map[string]string) *Process {
	t.Helper()
	p := &Process{HTTP: FreeAddr(t), GRPC: FreeAddr(t), Admin: FreeAddr(t), done: make(chan struct{})}
	p.Cmd = exec.Command(bin, "serve")
	p.Cmd.Env = os.Environ()
	for k, v := range env {
		p.Cmd.Env = append(p.Cmd.Env, k+"="+v)
	}
	p.Cmd.Env = append(p.Cmd.Env, "HTTP_ADDR="+p.HTTP, "GRPC_ADDR="+p.GRPC, "ADMIN_ADDR="+p.Admin)
	p.Cmd.Stderr = os.Stderr
	if err := p.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.Cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.Cmd.Process.Kill()
		<-p.done
	})
	Eventually(t, 30*time.Second, filepath.Base(bin)+" ready", func() bool { return Probe("http://"+p.Admin+"/readyz") == 200 })
	return p
}

// Wait returns how the process ended, or exited=false if it is still
// running after timeout.
func (p *Process) Wait(timeout time.Duration) (err error, exited bool) {
	select {
	case <-p.done:
		return p.err, true
	case <-time.After(timeout):
		return nil, false
	}
}
