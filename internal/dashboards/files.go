package dashboards

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// Dir is where the generated dashboards live, from the repository root;
// the monitoring component turns each into a ConfigMap.
var Dir = []string{"deploy", "kubernetes", "apps", "components", "monitoring", "dashboards"}

// Write regenerates every dashboard's JSON in the repository around dir
// and removes files of dashboards that no longer exist; with check it
// only reports what differs.
func Write(dir string, check bool) error {
	repo, err := manifestcheck.FindRepo(dir)
	if err != nil {
		return err
	}
	out := repo.Path(Dir...)
	if !check {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
	}
	var problems []error
	var want []string
	for _, d := range All() {
		data, err := Render(d)
		if err != nil {
			return err
		}
		file := filepath.Join(out, d.Name+".json")
		want = append(want, d.Name+".json")
		if !check {
			if err := os.WriteFile(file, data, 0o644); err != nil {
				return err
			}
			continue
		}
		if have, err := os.ReadFile(file); err != nil || !bytes.Equal(have, data) {
			problems = append(problems, fmt.Errorf("%s is stale or missing", file))
		}
	}
	have, err := filepath.Glob(filepath.Join(out, "*.json"))
	if err != nil {
		return err
	}
	for _, f := range have {
		if slices.Contains(want, filepath.Base(f)) {
			continue
		}
		if check {
			problems = append(problems, fmt.Errorf("%s is no dashboard any more", f))
		} else if err := os.Remove(f); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w\nrun make generate and commit the result", errors.Join(problems...))
	}
	return nil
}
