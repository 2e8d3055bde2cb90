// Package gobuild builds the project's commands the one way its binaries
// are built everywhere: static and -trimpath, as the images need them.
// make build (STATIC_BUILD), the cluster scripts (static_go_build in
// test/cluster/lib.sh) and the tests' child processes all use these flags,
// so one compile of the project's graph serves them all; with default
// flags somewhere, a new machine compiles the graph once more (minutes of
// CI). test/consistency holds the three together.
package gobuild

import (
	"context"
	"fmt"
	"os"
	"os/exec"
)

// Static is the command line every build of the project's binaries starts
// with.
var Static = []string{"CGO_ENABLED=0", "go", "build", "-trimpath"}

// Command builds one of this module's commands ("cmd/catalog") into the
// file out.
func Command(ctx context.Context, out, command string) error {
	cmd := exec.CommandContext(ctx, Static[1], append(Static[2:], "-o", out, "github.com/shipshape-dev/shipshape/"+command)...)
	cmd.Env = append(os.Environ(), Static[0])
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", command, err, output)
	}
	return nil
}
