package gobuild

import (
	"context"
	"debug/buildinfo"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandBuildsStatic: the binary is built without cgo and with
// -trimpath, as its build information records, and a command that does not
// exist is an error naming it.
func TestCommandBuildsStatic(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pause")
	if err := Command(context.Background(), out, "cmd/pause"); err != nil {
		t.Fatal(err)
	}
	info, err := buildinfo.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" {
		t.Errorf("build settings CGO_ENABLED=%q -trimpath=%q, want 0 and true", settings["CGO_ENABLED"], settings["-trimpath"])
	}
	err = Command(context.Background(), filepath.Join(t.TempDir(), "x"), "cmd/no-such-command")
	if err == nil || !strings.Contains(err.Error(), "cmd/no-such-command") {
		t.Errorf("building a missing command: %v, want an error naming it", err)
	}
}
