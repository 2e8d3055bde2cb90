package consistency

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestEveryModuleFileIsMaintained: each go.mod in the repository pins the
// project's toolchain and is one of the directories Dependabot updates, so
// a module file added later (a tool that cannot share tools/go.mod) is
// neither built with another Go nor left out of the updates.
func TestEveryModuleFileIsMaintained(t *testing.T) {
	root := repoRoot(t)
	modules := moduleDirs(t, root)
	if !slices.Contains(modules, "/") || !slices.Contains(modules, "/tools") {
		t.Fatalf("module directories %v: the walk missed the project's or the tools' go.mod", modules)
	}
	want := pinnedToolchain(t, filepath.Join(root, "go.mod"))
	updated := dependabotGoDirs(t, readFile(t, filepath.Join(root, ".github", "dependabot.yml")))
	for _, dir := range modules {
		if got := pinnedToolchain(t, filepath.Join(root, filepath.FromSlash(dir), "go.mod")); got != want {
			t.Errorf("%s/go.mod pins %s, go.mod %s", dir, got, want)
		}
		if !slices.Contains(updated, dir) {
			t.Errorf("%s/go.mod is not in .github/dependabot.yml's gomod directories %v", dir, updated)
		}
	}
	for _, dir := range updated {
		if !slices.Contains(modules, dir) {
			t.Errorf(".github/dependabot.yml updates %s, which has no go.mod", dir)
		}
	}
}

// TestDependabotGoDirsReadsBothSpellings: the helper above reads the
// `directory` and the `directories` form of an update entry.
func TestDependabotGoDirsReadsBothSpellings(t *testing.T) {
	got := dependabotGoDirs(t, `updates:
  - package-ecosystem: gomod
    directories: [/, /tools]
  - package-ecosystem: gomod
    directory: /other
  - package-ecosystem: npm
    directory: /web
`)
	if !slices.Equal(got, []string{"/", "/tools", "/other"}) {
		t.Errorf("gomod directories = %v, want [/ /tools /other]", got)
	}
}

// requiresSomething matches a module file that pins anything; web/go.mod
// only fences the storefront's node_modules off from ./... and has nothing
// to build or update.
var requiresSomething = regexp.MustCompile(`(?m)^(require|tool)\b`)

// moduleDirs lists the directories holding a go.mod that requires
// something, as Dependabot names them ("/" for the root, "/tools" ...),
// outside what the go command ignores (testdata) and dependencies.
func moduleDirs(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	walkFiles(t, root, func(path string, d fs.DirEntry) error {
		if d.Name() != "go.mod" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if requiresSomething.Match(data) {
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			dirs = append(dirs, filepath.ToSlash(filepath.Join("/", rel)))
		}
		return nil
	}, "testdata")
	return dirs
}

func dependabotGoDirs(t *testing.T, config string) []string {
	t.Helper()
	var cfg struct {
		Updates []struct {
			Ecosystem   string   `yaml:"package-ecosystem"`
			Directory   string   `yaml:"directory"`
			Directories []string `yaml:"directories"`
		} `yaml:"updates"`
	}
	if err := yaml.Unmarshal([]byte(config), &cfg); err != nil {
		t.Fatalf("dependabot.yml: %v", err)
	}
	var dirs []string
	for _, u := range cfg.Updates {
		if u.Ecosystem != "gomod" {
			continue
		}
		dirs = append(dirs, u.Directories...)
		if u.Directory != "" {
			dirs = append(dirs, u.Directory)
		}
	}
	return dirs
}
