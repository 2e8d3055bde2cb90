package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/krakend"
)

func TestCheckEveryEnvironment(t *testing.T) {
	if err := run([]string{"check"}); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"check", "-env", "nowhere"}); err == nil {
		t.Fatal("unknown environment accepted")
	}
}

func TestRenderWritesIndentedJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "krakend.json")
	if err := run([]string{"render", "-env", "staging", "-out", out}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(data, &cfg); err != nil || cfg["version"] != 3.0 {
		t.Fatalf("%v: %.80s", err, data)
	}
	if !strings.Contains(string(data), "\n  \"endpoints\": [") {
		t.Error("not indented")
	}
}

func TestRoutesRegeneratesWhatIsCommitted(t *testing.T) {
	dir := t.TempDir()
	routesJSON := filepath.Join(dir, filepath.FromSlash(krakend.RoutesJSONPath))
	if err := os.MkdirAll(filepath.Dir(routesJSON), 0o755); err != nil {
		t.Fatal(err)
	}
	committedDoc, err := os.ReadFile("../../docs/gateway.md")
	if err != nil {
		t.Fatal(err)
	}
	// A stale table between the markers must be replaced.
	doc := filepath.Join(dir, "gateway.md")
	stale, _ := krakend.ReplaceTable(string(committedDoc), "| stale |\n")
	if err := os.WriteFile(doc, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"routes", "-dir", dir, "-doc", doc}); err != nil {
		t.Fatal(err)
	}
	for got, want := range map[string]string{routesJSON: "../../gateway/config/" + krakend.RoutesJSONPath, doc: "../../docs/gateway.md"} {
		a, _ := os.ReadFile(got)
		b, _ := os.ReadFile(want)
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs from the committed %s", got, want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"deploy"}} {
		if err := run(args); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("%v: got %v", args, err)
		}
	}
}
