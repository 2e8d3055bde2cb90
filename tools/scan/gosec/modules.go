package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// skipper knows the directories the scan leaves out: the excluded ones and
// those the go command itself ignores in ./... (testdata, vendor, names
// starting with . or _), plus node_modules, where npm packages may carry Go
// files that are not ours.
type skipper struct {
	excluded []string // absolute, cleaned
}

func newSkipper(root string, exclude []string) skipper {
	var s skipper
	for _, d := range exclude {
		s.excluded = append(s.excluded, filepath.Join(root, filepath.FromSlash(d)))
	}
	return s
}

// dir reports whether path (a directory, or a file by its directory) is
// at or below an excluded directory.
func (s skipper) dir(path string) bool {
	for _, e := range s.excluded {
		if path == e || strings.HasPrefix(path, e+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func ignoredName(name string) bool {
	return name == "testdata" || name == "vendor" || name == "node_modules" ||
		strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// module is a Go module under the scanned root and the directories of its
// own that hold Go files, as ./-relative patterns for one `go list`.
type module struct {
	dir      string
	packages []string
}

// findModules walks root (which must hold a go.mod) once and returns its
// module first, then every module below it, each with the package
// directories the walk found in it. Listing the directories instead of
// loading ./... keeps the skipped ones out in every module: a module that
// only fences node_modules off (web/) has no packages and is not loaded.
func findModules(root string, s skipper) ([]module, error) {
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return nil, fmt.Errorf("%s is not a Go module's root: %w", root, err)
	}
	modules := []module{{dir: root}}
	owner := map[string]int{root: 0} // directory -> index of its module
	// A directory's files are not visited together: its subdirectories'
	// come between them.
	listed := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == root {
			return nil
		}
		parent := owner[filepath.Dir(path)]
		if !d.IsDir() {
			if dir := filepath.Dir(path); strings.HasSuffix(d.Name(), ".go") && !listed[dir] {
				listed[dir] = true
				m := &modules[parent]
				pattern, err := packagePattern(m.dir, dir)
				if err != nil {
					return err
				}
				m.packages = append(m.packages, pattern)
			}
			return nil
		}
		if ignoredName(d.Name()) || s.dir(path) {
			return filepath.SkipDir
		}
		owner[path] = parent
		if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
			owner[path] = len(modules)
			modules = append(modules, module{dir: path})
		}
		return nil
	})
	return modules, err
}

// packagePattern names dir, a package directory of the module at
// moduleDir, as `go list` takes it from there.
func packagePattern(moduleDir, dir string) (string, error) {
	rel, err := filepath.Rel(moduleDir, dir)
	if err != nil || rel == "." {
		return ".", err
	}
	return "./" + filepath.ToSlash(rel), nil
}
