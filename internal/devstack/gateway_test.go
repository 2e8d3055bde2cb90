package devstack

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestGatewayIsTheStandInWithoutKrakenD(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no krakend anywhere
	g, err := chooseGateway(context.Background(), Config{BinDir: "/b", DataDir: t.TempDir(), LogLevel: "info", Services: Services},
		NewOutput(io.Discard, false))
	if err != nil {
		t.Fatal(err)
	}
	if g.kind != "stand-in" || g.path != "/b/gateway-standin" {
		t.Fatalf("got %+v", g)
	}
	for _, want := range []string{"GATEWAY_ADDR=127.0.0.1:8080", "CATALOG_URL=http://127.0.0.1:8082", "ORDERS_URL=http://127.0.0.1:8084",
		"JWKS_URL=http://127.0.0.1:8081/.well-known/jwks.json"} {
		if !slices.Contains(g.env, want) {
			t.Errorf("stand-in env lacks %s", want)
		}
	}
}

func TestGatewayIsKrakenDWhenInstalled(t *testing.T) {
	dir := t.TempDir()
	write := func(name, script string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("krakend", "exit 0\n")
	// A fake renderer that writes what it was asked to the -out file.
	write("gateway-config", `echo "$@" > "$5"`+"\n")
	t.Setenv("PATH", dir)
	data := t.TempDir()
	g, err := chooseGateway(context.Background(), Config{BinDir: dir, DataDir: data, Services: Services}, NewOutput(io.Discard, false))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(data, "gateway", "krakend.json")
	if g.kind != "krakend" || !slices.Equal(g.args, []string{"run", "-c", file}) {
		t.Fatalf("got %+v", g)
	}
	if got, _ := os.ReadFile(file); string(got) != "render -env development -out "+file+"\n" {
		t.Fatalf("renderer called with %q", got)
	}
}
