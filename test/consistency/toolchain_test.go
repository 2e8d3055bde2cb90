package consistency

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	toolchainLine = regexp.MustCompile(`(?m)^toolchain (go\d+\.\d+\.\d+)$`)
	// Spellings of a pinned Go release outside go.mod: go1.27.3 and the
	// image tag golang:1.27.3.
	goVersionMention = regexp.MustCompile(`\bgo(\d+\.\d+\.\d+)\b|\bgolang:(\d+\.\d+\.\d+)\b`)
)

// skippedDirs hold build output, dependencies and local state, not sources.
var skippedDirs = map[string]bool{".git": true, "node_modules": true, ".next": true, ".test-build": true,
	".bin": true, ".data": true, ".cache": true, "test-results": true}

// TestGoToolchainWrittenOnce: go.mod's toolchain line is the project's one
// Go pin. Scripts read it (scripts/go-toolchain.sh); whatever cannot (the
// Dockerfiles' GO_IMAGE, compose, docs) must name the same release. The
// other module files' toolchain lines: TestEveryModuleFileIsMaintained.
func TestGoToolchainWrittenOnce(t *testing.T) {
	root := repoRoot(t)
	want := pinnedToolchain(t, filepath.Join(root, "go.mod"))
	for file, found := range goVersionMentions(t, root) {
		for _, v := range found {
			if "go"+v != want {
				t.Errorf("%s names Go %s; go.mod's toolchain line says %s", file, v, want)
			}
		}
	}
}

// TestMentionsFindEveryDrift proves the scan above can fail: each spelling
// of another release is reported.
func TestMentionsFindEveryDrift(t *testing.T) {
	dir := t.TempDir()
	// Split so that this file does not name another release itself.
	files := map[string]string{
		"Dockerfile": "ARG GO_IMAGE=golang" + ":1.26.1\n",
		"README.md":  "export GOTOOLCHAIN=go" + "1.28.0\n",
		"ok.sh":      "nothing pinned here: go1.27 is a language version\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := goVersionMentions(t, dir)
	if len(got) != 2 || got["Dockerfile"][0] != "1.26.1" || got["README.md"][0] != "1.28.0" {
		t.Errorf("mentions = %v, want the Dockerfile's 1.26.1 and the README's 1.28.0 only", got)
	}
}

func pinnedToolchain(t *testing.T, gomod string) string {
	t.Helper()
	m := toolchainLine.FindStringSubmatch(readFile(t, gomod))
	if m == nil {
		t.Fatalf("%s has no `toolchain goX.Y.Z` line", gomod)
	}
	return m[1]
}

// goVersionMentions maps each text file under root (relative path) to the
// Go releases it names, except go.mod files, whose line is the source.
func goVersionMentions(t *testing.T, root string) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	walkFiles(t, root, func(path string, d fs.DirEntry) error {
		if d.Name() == "go.mod" || d.Name() == "go.sum" || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > 1<<20 {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil || strings.IndexByte(string(data), 0) >= 0 {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for _, m := range goVersionMention.FindAllStringSubmatch(string(data), -1) {
			found[rel] = append(found[rel], m[1]+m[2])
		}
		return nil
	})
	return found
}
