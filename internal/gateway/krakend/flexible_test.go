package krakend

import (
	"strings"
	"testing"
	"testing/fstest"
)

// tree is a minimal gateway/config with one environment.
func tree(base string, extra map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"templates/krakend.tmpl":           {Data: []byte(base)},
		"partials/raw.part":                {Data: []byte(`"raw": "{{ not evaluated }}"`)},
		"settings/common/routes.json":      {Data: []byte(`{"endpoints": [{"path": "/a"}, {"path": "/b"}]}`)},
		"settings/development/server.json": {Data: []byte(`{"name": "dev", "port": 8080, "big": 1000000, "on": true, "list": ["x", "y<z"]}`)},
	}
	for name, data := range extra {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func renderTree(t *testing.T, fsys fstest.MapFS) (string, error) {
	t.Helper()
	out, err := RenderFS(fsys, "development")
	return string(out), err
}

func TestFlexibleConfigSemantics(t *testing.T) {
	cases := []struct {
		name, base string
		extra      map[string]string
		want       string
	}{
		{"settings are .file.key", `{{ .server.name }}:{{ .server.port }}`, nil, "dev:8080"},
		{"common and environment settings merge", `{{ len .routes.endpoints }} {{ .server.name }}`, nil, "2 dev"},
		{"marshal writes JSON like json.Marshal", `{{ marshal .server.big }} {{ marshal .server.on }} {{ marshal .server.list }}`, nil,
			`1000000 true ["x","y\u003cz"]`},
		{"include inserts a partial verbatim", `{ {{ include "raw.part" }} }`, nil, `{ "raw": "{{ not evaluated }}" }`},
		{"template runs a sub-template with its context",
			`[{{ template "item.tmpl" (index .routes.endpoints 1) }}]`,
			map[string]string{"templates/item.tmpl": `{{ .path }}`}, "[/b]"},
		{"$ is the sub-template's own context in its range",
			`{{ template "list.tmpl" . }}`,
			map[string]string{"templates/list.tmpl": `{{ range $i, $e := .routes.endpoints }}{{ if $i }},{{ end }}{{ $e.path }}@{{ $.server.name }}{{ end }}`},
			"/a@dev,/b@dev"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := renderTree(t, tree(c.base, c.extra))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestFlexibleConfigMistakes(t *testing.T) {
	cases := []struct {
		name, base string
		extra      map[string]string
		want       string
	}{
		{"missing partial", `{{ include "nope.part" }}`, nil, "nope.part"},
		{"partial outside the partials directory", `{{ include "../settings/common/routes.json" }}`, nil, "plain file names"},
		{"missing setting", `{{ .server.nope }}`, nil, `map has no entry for key "nope"`},
		{"missing sub-template", `{{ template "nope.tmpl" . }}`, nil, "nope.tmpl"},
		{"a settings file in both places", ``, map[string]string{"settings/development/routes.json": `{}`}, "both define .routes"},
		{"settings must be objects", ``, map[string]string{"settings/development/list.json": `[1]`}, "list.json"},
		{"settings must be JSON", ``, map[string]string{"settings/development/bad.json": `{`}, "bad.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := renderTree(t, tree(c.base, c.extra))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("want an error with %q, got %v", c.want, err)
			}
		})
	}
}

func TestOnlyJSONFilesAreSettings(t *testing.T) {
	got, err := renderTree(t, tree(`{{ len . }}`, map[string]string{"settings/development/notes.txt": "x"}))
	if err != nil || got != "2" {
		t.Fatalf("got %q, %v", got, err)
	}
}
