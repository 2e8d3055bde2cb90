package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/standin"
)

// The test binary doubles as the command, so the real main runs in its own
// process with real signals.
func TestMain(m *testing.M) {
	if os.Getenv("GATEWAY_STANDIN_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func command(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{"GATEWAY_STANDIN_RUN_MAIN=1"}, env...)...)
	return cmd
}

func TestStartsServesAndStopsOnSIGTERM(t *testing.T) {
	cmd := command(t, "GATEWAY_ADDR=127.0.0.1:0", "LOG_LEVEL=info")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan map[string]any, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				lines <- m
			}
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	var addr string
	timeout := time.After(20 * time.Second)
	for addr == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("exited before listening")
			}
			if l["msg"] == standin.Notice && l["service"] == "gateway-standin" {
				addr, _ = l["addr"].(string)
			}
		case <-timeout:
			t.Fatal("no start-up notice within 20s")
		}
	}
	resp, err := http.Get("http://" + addr + standin.HealthPath)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get(standin.MarkerHeader) != standin.MarkerValue {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp.Body.Close()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stopped, deadline := false, time.After(20*time.Second)
	for open := true; open; {
		select {
		case l, ok := <-lines:
			open = ok
			stopped = stopped || (ok && l["msg"] == "stopped")
		case <-deadline:
			t.Fatal("did not exit within 20s of SIGTERM")
		}
	}
	if err := <-exited; err != nil || !stopped {
		t.Fatalf("exit: %v, stopped logged: %v", err, stopped)
	}
}

func TestABadVariableStopsStartUp(t *testing.T) {
	out, err := command(t, "CART_URL=cart:8080").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "config: CART_URL: invalid URL") {
		t.Fatalf("%v: %s", err, out)
	}
}
