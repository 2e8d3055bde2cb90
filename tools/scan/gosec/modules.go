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

// findModules returns root (which must hold a go.mod) and then every
// directory below it with a go.mod of its own, outside the skipped ones.
func findModules(root string, s skipper) ([]string, error) {
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return nil, fmt.Errorf("%s is not a Go module's root: %w", root, err)
	}
	modules := []string{root}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() || path == root {
			return nil
		}
		if ignoredName(d.Name()) || s.dir(path) {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
			modules = append(modules, path)
		}
		return nil
	})
	return modules, err
}
