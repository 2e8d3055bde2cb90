package terraform_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// TestRegistryHoldsTheImages: production's account holds an ECR
// repository for exactly the shipshape images a release publishes (those
// production's release component pins: what the apps run, and the
// storefront's smoke journey of the opt-in progressive-delivery
// component), every image the production apps run among them, and
// staging's account (which holds none) may pull them.
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
	raw, err := os.ReadFile(repo(t).Path("deploy", "kubernetes", "apps", "production", "release", "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var release struct {
		Images []struct{ Name string } `yaml:"images"`
	}
	if err := yaml.Unmarshal(raw, &release); err != nil {
		t.Fatal(err)
	}
	var published []string
	for _, i := range release.Images {
		published = append(published, i.Name)
	}
	slices.Sort(published)
	if !slices.Equal(repos, published) {
		t.Errorf("production's ECR repositories %v, a release publishes %v", repos, published)
	}
	for _, image := range images {
		if !slices.Contains(published, image) {
			t.Errorf("the production apps run %s, which no release publishes", image)
		}
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
