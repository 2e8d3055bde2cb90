package consistency

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The release workflow builds every image the release step pins, and the
// promotion verifies the signature of each: an image the workflow skipped
// would fail every promotion on a missing tag (the gateway once was), one
// the promotion skipped would be pinned unverified (the gateway was too).
func TestReleaseBuildsEveryPinnedImage(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Strategy struct {
				Matrix struct {
					Include []struct{ Name string }
				}
			}
		}
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	var built []string
	for _, job := range wf.Jobs {
		for _, i := range job.Strategy.Matrix.Include {
			built = append(built, i.Name)
		}
	}
	pinned := scriptList(t, filepath.Join(root, "scripts", "release-images.sh"), "service")
	verified := scriptList(t, filepath.Join(root, "scripts", "promote.sh"), "name")
	slices.Sort(built)
	if !slices.Equal(built, pinned) {
		t.Errorf("release.yml builds %v, release-images.sh pins %v", built, pinned)
	}
	if !slices.Equal(verified, pinned) {
		t.Errorf("promote.sh verifies %v, release-images.sh pins %v", verified, pinned)
	}
}

// scriptList is the sorted list of a script's `for <variable> in ...; do`.
func scriptList(t *testing.T, path, variable string) []string {
	t.Helper()
	script, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^for ` + variable + ` in ([a-z -]+); do$`).FindSubmatch(script)
	if m == nil {
		t.Fatalf("%s: no `for %s in ...; do` list of the images", path, variable)
	}
	list := regexp.MustCompile(`[a-z-]+`).FindAllString(string(m[1]), -1)
	slices.Sort(list)
	return list
}
