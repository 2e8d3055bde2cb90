package krakend

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestMaterializedLayoutRendersTheSame(t *testing.T) {
	for _, env := range Environments {
		dir := t.TempDir()
		environ, base, err := Materialize(env, dir)
		if err != nil {
			t.Fatal(err)
		}
		if base != filepath.Join(dir, TemplatesDir, BaseTemplate) || !slices.Contains(environ, "FC_ENABLE=1") ||
			!slices.Contains(environ, "FC_SETTINGS="+filepath.Join(dir, SettingsDir)) {
			t.Fatalf("%s: environ %v, base %s", env, environ, base)
		}
		// What krakend would read: one flat settings directory.
		fsys := os.DirFS(dir)
		settings, err := loadSettings(fsys, SettingsDir)
		if err != nil {
			t.Fatal(err)
		}
		got, err := execute(fsys, TemplatesDir, PartialsDir, settings)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Render(env)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the materialized configuration renders differently", env)
		}
	}
}

func TestMaterializeRefusesUnknownEnvironments(t *testing.T) {
	if _, _, err := Materialize("prod", t.TempDir()); err == nil {
		t.Fatal("no error")
	}
}
