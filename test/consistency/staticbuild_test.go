package consistency

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gobuild"
)

// TestOneStaticBuild: make build, the tests' child processes and the
// cluster's images build the project's binaries with the same flags, and
// the commands make and the scripts `go run` use them too. If one drifts,
// nothing else fails: they just stop sharing one compile of the graph, and
// a new machine compiles it again (minutes of CI).
func TestOneStaticBuild(t *testing.T) {
	root := repoRoot(t)
	build := strings.Join(gobuild.Static, " ")
	// go run also runs the program: without the build's CGO_ENABLED=0.
	run := strings.Replace(build, " go build ", " go run ", 1) + " -exec 'env -u CGO_ENABLED'"
	for _, c := range []struct {
		file, what string
		spelled    *regexp.Regexp // its first group is the command line
		want       string
	}{
		{"Makefile", "STATIC_BUILD", regexp.MustCompile(`(?m)^STATIC_BUILD := (.*)$`), build},
		{"Makefile", "GO_RUN", regexp.MustCompile(`(?m)^GO_RUN +:= (.*)$`), run},
		{"test/cluster/lib.sh", "static_go_build", regexp.MustCompile(`(?m)^static_go_build\(\) \{ \(cd "\$REPO" && (.*) "\$@"\); \}$`), build},
		{"test/cluster/lib.sh", "static_go_run", regexp.MustCompile(`(?m)^static_go_run\(\) \{ \(cd "\$REPO" && (.*) "\$@"\); \}$`), run},
		{"scripts/render-gateway-config.sh", "gateway-config render", regexp.MustCompile(`(?m)^\t(.*) \./cmd/gateway-config render `), run},
	} {
		m := c.spelled.FindStringSubmatch(readFile(t, filepath.Join(root, filepath.FromSlash(c.file))))
		if m == nil || m[1] != c.want {
			t.Errorf("%s's %s runs %q, want %q", c.file, c.what, m, c.want)
		}
	}
}
