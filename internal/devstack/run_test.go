package devstack

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/freeport"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
)

func freePort(t *testing.T) int {
	t.Helper()
	p, err := freeport.One()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func fakeService(t *testing.T, binDir, name string, seed bool) Service {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(binDir, name)); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
	return Service{Name: name, REST: freePort(t), GRPC: freePort(t), Admin: freePort(t), Seed: seed}
}

// builtWeb is a built storefront whose node is the test binary itself.
func builtWeb(t *testing.T, binDir string) Web {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	node := filepath.Join(binDir, "node")
	if err := os.Symlink(self, node); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "start.js"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return Web{Dir: dir, Port: freePort(t), Node: node}
}

// stack is a devstack Run in the background; Cleanup stops it even when the
// test fails early.
type stack struct {
	out    *logtest.Buffer
	cancel context.CancelFunc
	errc   chan error
}

func startStack(t *testing.T, cfg Config) *stack {
	st := &stack{out: &logtest.Buffer{}, errc: make(chan error, 1)}
	cfg.Out = st.out
	ctx, cancel := context.WithCancel(context.Background())
	st.cancel = cancel
	go func() { st.errc <- Run(ctx, cfg) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-st.errc:
		case <-time.After(time.Minute):
			t.Error("devstack did not stop")
		}
	})
	return st
}

// result waits for Run to return.
func (st *stack) result(t *testing.T) error {
	t.Helper()
	select {
	case err := <-st.errc:
		st.errc <- err // keep it for Cleanup
		return err
	case <-time.After(time.Minute):
		t.Fatalf("devstack still running; output:\n%s", st.out)
		return nil
	}
}

func (st *stack) waitOutput(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(time.Minute)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(st.out.String(), want) {
		select {
		case err := <-st.errc:
			st.errc <- err
			t.Fatalf("devstack ended (%v) before printing %q; output:\n%s", err, want, st.out)
		case <-deadline:
			t.Fatalf("no %q in output:\n%s", want, st.out)
		case <-tick.C:
		}
	}
}

func assertContains(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestRun(t *testing.T) {
	t.Setenv(fakeChildEnv, "1")
	tmp, err := os.MkdirTemp("", "devstack-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	// PostgreSQL runs as user postgres when we are root: it must traverse.
	if err := os.Chmod(tmp, 0o711); err != nil {
		t.Fatal(err)
	}
	binDir := filepath.Join(tmp, "bin")
	if err := os.Mkdir(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	base := Config{BinDir: binDir, DataDir: filepath.Join(tmp, "data"), PGPort: freePort(t), StopTimeout: 500 * time.Millisecond}
	alpha := fakeService(t, binDir, "alpha", true)

	t.Run("serves until cancelled, then stops everything", func(t *testing.T) {
		cfg := base
		cfg.Services = []Service{alpha, fakeService(t, binDir, "stubborn", false)}
		st := startStack(t, cfg)
		st.waitOutput(t, "all services ready")
		st.cancel()
		if err := st.result(t); err != nil {
			t.Fatalf("Run after cancel: %v", err)
		}
		assertContains(t, st.out.String(),
			"[alpha]    migrate: rows before: 0",
			"[alpha]    seed: rows before: 1",
			"[alpha]    ready", "[stubborn] ready",
			"http://"+alpha.AdminAddr(),
			"[alpha]    bye (unterminated line)\n",
			"stubborn did not stop within",
			"[postgres] stopped")
		if c, err := net.Dial("tcp", addr(cfg.PGPort)); err == nil {
			c.Close()
			t.Error("PostgreSQL still listening after Run returned")
		}
	})

	t.Run("keeps data and fails naming a crashed service", func(t *testing.T) {
		cfg := base
		crashy := fakeService(t, binDir, "crashy", false)
		crashy.Calls = []string{"alpha"}
		cfg.Services = []Service{alpha, crashy}
		st := startStack(t, cfg)
		err := st.result(t)
		if err == nil || !strings.Contains(err.Error(), "service crashy exited") {
			t.Fatalf("want crashy named, got %v", err)
		}
		assertContains(t, st.out.String(), "migrate: rows before: 2", "[crashy]   crashing", "[alpha]    bye", "[postgres] stopped")
	})

	t.Run("fails fast when a migration fails", func(t *testing.T) {
		cfg := base
		cfg.Services = []Service{fakeService(t, binDir, "badmigrate", false), alpha}
		st := startStack(t, cfg)
		err := st.result(t)
		if err == nil || !strings.Contains(err.Error(), "badmigrate migrate failed") {
			t.Fatalf("got %v", err)
		}
		out := st.out.String()
		assertContains(t, out, "[badmigrate] relation missing", "[postgres]   stopped")
		if strings.Contains(out, "[alpha]") {
			t.Errorf("alpha ran after badmigrate failed:\n%s", out)
		}
	})

	t.Run("starts the storefront once the services are ready, stops it first", func(t *testing.T) {
		web := builtWeb(t, binDir)
		cfg := base
		cfg.Services = []Service{alpha}
		cfg.Web = &web
		st := startStack(t, cfg)
		st.waitOutput(t, "all services ready")
		st.cancel()
		if err := st.result(t); err != nil {
			t.Fatalf("Run after cancel: %v", err)
		}
		out := st.out.String()
		assertContains(t, out,
			fmt.Sprintf("[web]      storefront on 127.0.0.1:%d using http://127.0.0.1:8080/api/v1, secure cookies false", web.Port),
			"[web]      ready",
			fmt.Sprintf("storefront: http://localhost:%d", web.Port),
			"[web]      storefront stopped")
		if strings.Index(out, "[alpha]    ready") > strings.Index(out, "[web]      storefront on") {
			t.Errorf("the storefront started before the services were ready:\n%s", out)
		}
	})

	t.Run("the storefront must be built", func(t *testing.T) {
		cfg := base
		cfg.Services = []Service{alpha}
		cfg.Web = &Web{Dir: t.TempDir(), Node: "/bin/true"}
		err := Run(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), "make web-build") {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("missing binary", func(t *testing.T) {
		cfg := base
		cfg.Services = []Service{{Name: "ghost", REST: 1, GRPC: 2, Admin: 3}}
		err := Run(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), "make build") {
			t.Fatalf("got %v", err)
		}
	})
}
