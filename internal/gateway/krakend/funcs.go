package krakend

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"text/template"
)

// funcs are the two functions KrakenD's flexible configuration adds to
// text/template (its Sprig functions are deliberately not offered, so the
// templates cannot come to depend on them).
func funcs(fsys fs.FS, partialsDir string) template.FuncMap {
	return template.FuncMap{
		// marshal writes a value as JSON, as KrakenD does with
		// json.Marshal (HTML characters escaped, map keys sorted).
		"marshal": func(v any) (string, error) {
			data, err := json.Marshal(v)
			return string(data), err
		},
		// include inserts a file of the partials directory verbatim: it is
		// not evaluated as a template.
		"include": func(name string) (string, error) {
			if !fs.ValidPath(name) || path.Dir(name) != "." {
				return "", fmt.Errorf("include %q: partials are plain file names", name)
			}
			data, err := fs.ReadFile(fsys, path.Join(partialsDir, name))
			return string(data), err
		},
	}
}
