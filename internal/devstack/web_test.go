package devstack

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWebProcess(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "start.js"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Web{Dir: dir, Node: "/usr/bin/node"}.process([]string{"PATH=/bin", "PORT=1"}, "debug")
	if err != nil {
		t.Fatal(err)
	}
	if p.path != "/usr/bin/node" || !slices.Equal(p.args, []string{filepath.Join(dir, "start.js")}) {
		t.Fatalf("command %s %v", p.path, p.args)
	}
	for _, want := range []string{"PATH=/bin", "PORT=3000", "HOSTNAME=127.0.0.1", "API_URL=http://127.0.0.1:8080/api/v1", "COOKIE_SECURE=false", "LOG_LEVEL=debug"} {
		if !slices.Contains(p.env, want) {
			t.Errorf("env lacks %s: %q", want, p.env)
		}
	}
	// Later entries win: our PORT overrides an inherited one.
	if slices.Index(p.env, "PORT=3000") < slices.Index(p.env, "PORT=1") {
		t.Error("inherited PORT would win")
	}
	if p.readyURL != "http://127.0.0.1:3000/readyz" || p.describe != "storefront: http://localhost:3000" {
		t.Fatalf("got %q, %q", p.readyURL, p.describe)
	}
}

func TestWebNeedsNode(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, _, err := Web{Dir: t.TempDir()}.check()
	if err == nil || !strings.Contains(err.Error(), "Node.js") {
		t.Fatalf("got %v", err)
	}
}
