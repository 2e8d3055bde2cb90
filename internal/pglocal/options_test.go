package pglocal

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeDefaults(t *testing.T) {
	o, err := Options{DataDir: "rel/pg", Port: 5432, BinDir: "/bin"}.normalize()
	if err != nil {
		t.Fatal(err)
	}
	if o.Host != "127.0.0.1" || !strings.HasSuffix(o.DataDir, "/rel/pg") || o.LogPath != o.DataDir+".log" {
		t.Fatalf("unexpected defaults: %+v", o)
	}
	if _, err := (Options{DataDir: "x"}).normalize(); err == nil {
		t.Fatal("missing port accepted")
	}
}

func TestServerArgs(t *testing.T) {
	o := Options{DataDir: "/d", Host: "127.0.0.1", Port: 5555, Settings: map[string]string{"fsync": "on", "work_mem": "8MB"}}
	args := strings.Join(o.serverArgs(), " ")
	for _, want := range []string{"-D /d", "listen_addresses=127.0.0.1", "port=5555", "unix_socket_directories=",
		"fsync=on", "synchronous_commit=off", "work_mem=8MB"} {
		if !strings.Contains(args, want) {
			t.Errorf("args %q lack %q", args, want)
		}
	}
	if strings.Contains(args, "fsync=off") {
		t.Errorf("Settings must override the non-durable defaults: %q", args)
	}
	durable := Options{DataDir: "/d", Port: 1, Durable: true}.serverArgs()
	if slices.Contains(durable, "fsync=off") {
		t.Errorf("durable server has fsync=off: %q", durable)
	}
}

func TestQuoteLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "'plain'",
		"it's":  "'it''s'",
		`a\b'c`: ` E'a\\b''c'`,
		"":      "''",
	} {
		if got := quoteLiteral(in); got != want {
			t.Errorf("quoteLiteral(%q) = %q, want %q", in, got, want)
		}
	}
}
