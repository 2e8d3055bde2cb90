package terraform_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// TestRegistryHoldsTheImages: production's account holds an ECR
// repository for exactly the shipshape images the production apps run,
// and staging's account (which holds none) may pull them.
func TestRegistryHoldsTheImages(t *testing.T) {
	t.Parallel()
	_, prod := environmentScope(t, "production")
	repos := knownStrings(t, "production registry repositories", prod.Vars["registry"].GetAttr("repositories"))
	var images []string
	for _, o := range rendered(t, "apps", "production") {
		if o.PodTemplate() == nil {
			continue
		}
		for _, c := range append(manifestcheck.Object(o.PodTemplate()).List("spec", "initContainers"), manifestcheck.Object(o.PodTemplate()).List("spec", "containers")...) {
			name, ours := manifestcheck.ProjectImage(manifestcheck.Object(c.(map[string]any)).Str("image"))
			if ours && !slices.Contains(images, name) {
				images = append(images, name)
			}
		}
	}
	slices.Sort(images)
	if !slices.Equal(repos, images) {
		t.Errorf("production's ECR repositories %v, the production apps run %v", repos, images)
	}

	stagingRoot, staging := environmentScope(t, "staging")
	if own := staging.Vars["registry"].GetAttr("repositories"); own.LengthInt() != 0 {
		t.Fatalf("staging holds repositories of its own; this test assumes it pulls from production")
	}
	account := known(t, "staging local.account_id", stagingRoot.Locals["account_id"], nil)
	pull := knownStrings(t, "production registry pull_account_ids", prod.Vars["registry"].GetAttr("pull_account_ids"))
	if !slices.Contains(pull, account) {
		t.Errorf("staging's account %s may not pull production's images (pull_account_ids %v)", account, pull)
	}
}

func TestImageName(t *testing.T) {
	for ref, want := range map[string]string{
		"shipshape/web:0.1.0":                      "shipshape/web",
		"shipshape/web:0.1.0@sha256:" + hex64("a"): "shipshape/web",
		"registry.example:5000/shipshape/web":      "registry.example:5000/shipshape/web",
		"shipshape/web":                            "shipshape/web",
	} {
		if got := manifestcheck.ImageRepository(ref); got != want {
			t.Errorf("ImageRepository(%q) = %q, want %q", ref, got, want)
		}
	}
}

func hex64(c string) string { return strings.Repeat(c, 64) }
