package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/krakend"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// config writes the development configuration listening on addr, after
// edit.
func config(t *testing.T, addr string, edit func(map[string]any)) string {
	t.Helper()
	data, err := krakend.Render("development")
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(addr)
	cfg["listen_ip"] = host
	cfg["port"], _ = strconv.Atoi(port)
	if edit != nil {
		edit(cfg)
	}
	if data, err = json.Marshal(cfg); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "krakend.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestRunStopsOnSIGTERM: `gateway run -c` serves the rendered development
// configuration, with metrics on their own port, and exits 0 on SIGTERM,
// after a drain during which /__health reports 503.
func TestRunStopsOnSIGTERM(t *testing.T) {
	bin := stacktest.Build(t, "cmd/gateway")
	addr, metrics := stacktest.FreeAddr(t), stacktest.FreeAddr(t)
	cmd := exec.Command(bin, "run", "-c", config(t, addr, nil), "-drain", "300ms", "-metrics", metrics)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	health := "http://" + addr + "/__health"
	stacktest.Eventually(t, 30*time.Second, "gateway health", func() bool { return stacktest.Probe(health) == 200 })
	if s := stacktest.Probe("http://" + metrics + "/metrics"); s != 200 {
		t.Errorf("/metrics: %d", s)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stacktest.Eventually(t, 300*time.Millisecond, "503 while draining", func() bool { return stacktest.Probe(health) == 503 })
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGTERM")
	}
}

// TestCheck: `gateway check` accepts the rendered configuration and refuses
// one with a namespace this build does not implement.
func TestCheck(t *testing.T) {
	addr := "127.0.0.1:8080"
	if err := check(t.Context(), []string{"-c", config(t, addr, nil)}); err != nil {
		t.Fatal(err)
	}
	bad := config(t, addr, func(cfg map[string]any) {
		cfg["extra_config"].(map[string]any)["telemetry/influx"] = map[string]any{}
	})
	if err := check(t.Context(), []string{"-c", bad}); err == nil || !strings.Contains(err.Error(), "telemetry/influx") {
		t.Fatalf("got %v, want the unimplemented namespace named", err)
	}
}
