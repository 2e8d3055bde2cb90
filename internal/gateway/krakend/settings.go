package krakend

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// loadSettings reads every *.json of dirs into one map keyed by file name
// without ".json", as KrakenD's FC_SETTINGS does for its single directory.
// KrakenD CE reads one flat directory, so the directories are merged the
// way gateway/config/flatten-settings.sh merges them for the real thing: a
// name found twice is an error. Like KrakenD, each file must hold an object.
func loadSettings(fsys fs.FS, dirs ...string) (map[string]any, error) {
	settings := map[string]any{}
	from := map[string]string{}
	for _, dir := range dirs {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, fmt.Errorf("settings: %w", err)
		}
		for _, entry := range entries {
			name, ok := strings.CutSuffix(entry.Name(), ".json")
			if !ok || entry.IsDir() {
				continue
			}
			file := path.Join(dir, entry.Name())
			if earlier, dup := from[name]; dup {
				return nil, fmt.Errorf("settings: %s and %s both define .%s", earlier, file, name)
			}
			data, err := fs.ReadFile(fsys, file)
			if err != nil {
				return nil, fmt.Errorf("settings: %w", err)
			}
			var value map[string]any
			if err := json.Unmarshal(data, &value); err != nil {
				return nil, fmt.Errorf("settings: %s: %w", file, err)
			}
			settings[name], from[name] = value, file
		}
	}
	return settings, nil
}
