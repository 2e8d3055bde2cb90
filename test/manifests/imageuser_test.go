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
// images, or "" for any other image.
func imageDockerfile(image string) string {
	rest, ours := strings.CutPrefix(image, "shipshape/")
	if !ours {
		return ""
	}
	name, _, _ := strings.Cut(rest, ":")
	name, _, _ = strings.Cut(name, "@")
	switch name {
	case "web", "postgres":
		return name + ".Dockerfile"
	case "identity", "catalog", "cart", "orders":
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
