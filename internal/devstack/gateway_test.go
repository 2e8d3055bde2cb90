package devstack

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakeBin is a directory of shell scripts standing in for the gateway
// binaries; gateway-config writes the arguments it got to its -out file.
func fakeBin(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range names {
		script := "exit 0\n"
		if name == "gateway-config" {
			script = `echo "$@" > "$5"` + "\n"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestGatewayKinds: the default serves the development rendering with
// shipshape's gateway; krakend runs the same file with an official binary
// from PATH.
func TestGatewayKinds(t *testing.T) {
	bin := fakeBin(t, "gateway", "gateway-config", "krakend")
	t.Setenv("PATH", bin)
	for kind, want := range map[string]string{"": "gateway", GatewayEngine: "gateway", GatewayKrakenD: "krakend"} {
		data := t.TempDir()
		cfg := Config{BinDir: bin, DataDir: data, Services: Services, GatewayKind: kind}
		if err := checkGateway(cfg); err != nil {
			t.Fatal(err)
		}
		g, err := chooseGateway(context.Background(), cfg, NewOutput(io.Discard, false))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(data, "gateway", "krakend.json")
		if g.kind != want || g.path != filepath.Join(bin, want) || !slices.Equal(g.args, []string{"run", "-c", file}) {
			t.Fatalf("kind %q: got %+v", kind, g)
		}
		if got, _ := os.ReadFile(file); string(got) != "render -env development -out "+file+"\n" {
			t.Fatalf("kind %q: renderer called with %q", kind, got)
		}
	}
}

// TestGatewayCheckedBeforeStart: an unknown kind or a missing binary is an
// error before PostgreSQL or any service starts.
func TestGatewayCheckedBeforeStart(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no krakend anywhere
	services := fakeBin(t, "identity", "catalog", "cart", "orders")
	for kind, want := range map[string]string{
		"":             "gateway binary " + filepath.Join(services, "gateway") + " missing",
		GatewayKrakenD: `"krakend": executable file not found`,
		"nginx":        `unknown gateway "nginx"`,
	} {
		err := Run(context.Background(), Config{BinDir: services, DataDir: t.TempDir(), Services: Services, Gateway: true, GatewayKind: kind})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("kind %q: got %v, want %s", kind, err, want)
		}
	}
}
