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
// the commands make and the cluster scripts `go run` use them too. If
// one drifts, nothing else fails: the three just stop sharing one compile
// of the graph, and a new machine compiles it again (minutes of CI).
func TestOneStaticBuild(t *testing.T) {
	root := repoRoot(t)
	want := strings.Join(gobuild.Static, " ")
	makefile := regexp.MustCompile(`(?m)^STATIC_BUILD := (.*)$`).FindStringSubmatch(readFile(t, filepath.Join(root, "Makefile")))
	if makefile == nil || makefile[1] != want {
		t.Errorf("Makefile's STATIC_BUILD is %q, gobuild.Static %q", makefile, want)
	}
	// go run also runs the program: without the build's CGO_ENABLED=0.
	run := strings.Replace(want, " go build ", " go run ", 1) + " -exec 'env -u CGO_ENABLED'"
	goRun := regexp.MustCompile(`(?m)^GO_RUN +:= (.*)$`).FindStringSubmatch(readFile(t, filepath.Join(root, "Makefile")))
	if goRun == nil || goRun[1] != run {
		t.Errorf("Makefile's GO_RUN is %q, want %q", goRun, run)
	}
	libRun := regexp.MustCompile(`(?m)^static_go_run\(\) \{ \(cd "\$REPO" && (.*) "\$@"\); \}$`).FindStringSubmatch(readFile(t, filepath.Join(root, "test", "cluster", "lib.sh")))
	if libRun == nil || libRun[1] != run {
		t.Errorf("test/cluster/lib.sh's static_go_run runs %q, want %q", libRun, run)
	}
	lib := regexp.MustCompile(`(?m)^static_go_build\(\) \{ \(cd "\$REPO" && (.*) "\$@"\); \}$`).FindStringSubmatch(readFile(t, filepath.Join(root, "test", "cluster", "lib.sh")))
	if lib == nil || lib[1] != want {
		t.Errorf("test/cluster/lib.sh's static_go_build runs %q, gobuild.Static %q", lib, want)
	}
}
