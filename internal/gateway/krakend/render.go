// Package krakend renders and checks the KrakenD CE configuration in
// gateway/config. KrakenD cannot run here, so this package implements the
// part of its flexible configuration our templates use, decodes the result
// strictly into Go types of every field we use, and checks the invariants
// the gateway must keep (see docs/gateway.md).
package krakend

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"text/template"

	"github.com/shipshape-dev/shipshape/gateway"
)

// Environments are the settings directories under gateway/config/settings.
var Environments = []string{"development", "staging", "production"}

// Layout of gateway/config, relative to its root.
const (
	TemplatesDir = "templates"
	PartialsDir  = "partials"
	SettingsDir  = "settings"
	// CommonSettings holds settings every environment shares (routes.json).
	CommonSettings = "common"
	// BaseTemplate is the file KrakenD is started with (-c).
	BaseTemplate = "krakend.tmpl"
)

// ConfigFS is gateway/config as committed.
func ConfigFS() fs.FS {
	sub, err := fs.Sub(gateway.Config, "config")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// Render returns the KrakenD configuration of env as KrakenD would build it
// from the committed templates and settings.
func Render(env string) ([]byte, error) { return RenderFS(ConfigFS(), env) }

// RenderFS renders env from a gateway/config tree rooted at fsys.
func RenderFS(fsys fs.FS, env string) ([]byte, error) {
	if !slices.Contains(Environments, env) {
		return nil, fmt.Errorf("unknown environment %q (want one of %v)", env, Environments)
	}
	settings, err := loadSettings(fsys,
		path.Join(SettingsDir, CommonSettings), path.Join(SettingsDir, env))
	if err != nil {
		return nil, err
	}
	return execute(fsys, TemplatesDir, PartialsDir, settings)
}

// execute runs the flexible configuration as KrakenD does: the base
// template is parsed first, then every *.tmpl of the templates directory
// (the base again included, which text/template allows), and the base is
// executed with the settings as its data. Unlike KrakenD, a missing key or
// partial is an error here rather than "<no value>" or nothing.
func execute(fsys fs.FS, templatesDir, partialsDir string, settings map[string]any) ([]byte, error) {
	tmpl, err := template.New("config").
		Funcs(funcs(fsys, partialsDir)).
		Option("missingkey=error").
		ParseFS(fsys, path.Join(templatesDir, BaseTemplate))
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	if tmpl, err = tmpl.ParseFS(fsys, path.Join(templatesDir, "*.tmpl")); err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	var out bytes.Buffer
	if err := tmpl.ExecuteTemplate(&out, BaseTemplate, settings); err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	return out.Bytes(), nil
}
