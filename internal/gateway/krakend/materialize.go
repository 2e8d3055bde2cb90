package krakend

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// Materialize lays out env's flexible configuration in dir for a real
// krakend binary (`make run` uses one when it is on PATH): templates/,
// partials/ and settings/ (common and env merged into the one flat
// directory KrakenD CE reads). It returns the environment to add and the
// -c argument for `krakend run` or `krakend check`.
func Materialize(env, dir string) (environ []string, base string, err error) {
	fsys := ConfigFS()
	// Render first: it validates env and proves the settings merge.
	if _, err := RenderFS(fsys, env); err != nil {
		return nil, "", err
	}
	for _, sub := range []string{TemplatesDir, PartialsDir} {
		if err := copyDir(fsys, sub, filepath.Join(dir, sub)); err != nil {
			return nil, "", err
		}
	}
	settings := filepath.Join(dir, SettingsDir)
	for _, sub := range []string{CommonSettings, env} {
		if err := copyDir(fsys, path.Join(SettingsDir, sub), settings); err != nil {
			return nil, "", err
		}
	}
	abs := func(sub string) string { p, _ := filepath.Abs(filepath.Join(dir, sub)); return p }
	environ = []string{
		"FC_ENABLE=1",
		"FC_SETTINGS=" + abs(SettingsDir),
		"FC_TEMPLATES=" + abs(TemplatesDir),
		"FC_PARTIALS=" + abs(PartialsDir),
	}
	return environ, filepath.Join(abs(TemplatesDir), BaseTemplate), nil
}

// copyDir copies the files of one directory of fsys (not recursive).
func copyDir(fsys fs.FS, from, to string) error {
	entries, err := fs.ReadDir(fsys, from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, entry := range entries {
		if entry.IsDir() {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(from, entry.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, entry.Name()), data, 0o644); err != nil {
			return fmt.Errorf("materialize: %w", err)
		}
	}
	return nil
}
