package consistency

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The release workflow builds every image the release step pins: an image
// it skipped would fail every promotion on a missing tag (the gateway once
// was).
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
	script, err := os.ReadFile(filepath.Join(root, "scripts", "release-images.sh"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^for service in ([a-z ]+); do$`).FindSubmatch(script)
	if m == nil {
		t.Fatal("scripts/release-images.sh: no `for service in ...; do` list of the images it pins")
	}
	pinned := regexp.MustCompile(`[a-z]+`).FindAllString(string(m[1]), -1)
	slices.Sort(built)
	slices.Sort(pinned)
	if !slices.Equal(built, pinned) {
		t.Errorf("release.yml builds %v, release-images.sh pins %v", built, pinned)
	}
}
