package manifests_test

import (
	"fmt"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"os"
	"regexp"
	"strings"
	"testing"
)

// imageDockerfile is the Dockerfile in deploy/docker that builds one of our
// images (shipshape/<name>, in any registry), or "" for any other image.
func imageDockerfile(image string) string {
	name, _ := manifestcheck.ProjectImage(image)
	switch name {
	case "shipshape/web", "shipshape/postgres":
		return strings.TrimPrefix(name, "shipshape/") + ".Dockerfile"
	case "shipshape/identity", "shipshape/catalog", "shipshape/cart", "shipshape/orders", "shipshape/storefront-smoke":
		return "service.Dockerfile"
	}
	return ""
}

var dockerfileUser = regexp.MustCompile(`(?m)^USER\s+(\d+):(\d+)\s*$`)

// TestWorkloadsRunAsTheirImagesUser: every container of one of our images
// runs as the user and group its Dockerfile's USER names (the files in
// the image belong to them), so that an image and the manifests change
// their IDs together.
func TestWorkloadsRunAsTheirImagesUser(t *testing.T) {
	tb := box(t)
	for _, overlay := range Overlays {
		_, objs := render(t, overlay)
		checked := 0
		for _, w := range objs {
			tpl := w.PodTemplate()
			if tpl == nil {
				continue
			}
			for _, c := range w.Containers() {
				file := imageDockerfile(c.Str("image"))
				if file == "" {
					continue
				}
				data, err := os.ReadFile(tb.Path("deploy", "docker", file))
				if err != nil {
					t.Fatal(err)
				}
				m := dockerfileUser.FindAllStringSubmatch(string(data), -1)
				if len(m) == 0 {
					t.Fatalf("%s: no numeric USER uid:gid", file)
				}
				want := m[len(m)-1][1] + ":" + m[len(m)-1][2]
				got := fmt.Sprintf("%v:%v", effectiveID(tpl, c, "runAsUser"), effectiveID(tpl, c, "runAsGroup"))
				if got != want {
					t.Errorf("%s %s: container %s runs as %s, its image (%s) as %s", overlay, w.ID(), c.Str("name"), got, file, want)
				}
				checked++
			}
		}
		if checked < 8 {
			t.Errorf("%s: checked only %d containers of our images", overlay, checked)
		}
	}
}

// effectiveID is a container's securityContext field, else its pod's.
func effectiveID(tpl, c manifestcheck.Object, field string) any {
	if v := c.Get("securityContext", field); v != nil {
		return v
	}
	return tpl.Get("spec", "securityContext", field)
}

func TestImageDockerfileNamesOurImagesInAnyRegistry(t *testing.T) {
	for image, want := range map[string]string{
		"shipshape/web:0.1.0": "web.Dockerfile",
		"ghcr.io/shipshape-dev/shipshape/catalog:0.1.0@sha256:" + strings.Repeat("0", 64): "service.Dockerfile",
		"10.250.0.1:5443/shipshape/postgres@sha256:" + strings.Repeat("0", 64):            "postgres.Dockerfile",
		"ghcr.io/other/catalog:1.0":           "",
		"shipshape/unknown:1":                 "",
		"docker.io/library/busybox:1.36":      "",
		"registry.example:5000/shipshape:1.0": "",
	} {
		if got := imageDockerfile(image); got != want {
			t.Errorf("imageDockerfile(%q) = %q, want %q", image, got, want)
		}
	}
}
