package manifestcheck

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// modulePath identifies the repository's go.mod.
const modulePath = "github.com/shipshape-dev/shipshape"

// Repo is the repository and where validation keeps what it builds.
type Repo struct {
	Root  string
	Cache string
}

// FindRepo walks up from dir to the directory whose go.mod declares the
// shipshape module. The cache is $MANIFESTS_CACHE when set, else
// shipshape/manifests in the user's cache directory (~/.cache), shared by
// every checkout: what it holds is keyed by version, source or inputs, and
// CI runs on a fresh clone each time, which a cache inside the tree made
// relink every tool and re-render every combination on every run.
func FindRepo(dir string) (Repo, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Repo{}, err
	}
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && strings.Contains(string(data), "module "+modulePath+"\n") {
			cache := os.Getenv("MANIFESTS_CACHE")
			if cache == "" {
				cache = filepath.Join(d, ".cache", "manifests")
				if user, err := os.UserCacheDir(); err == nil {
					cache = filepath.Join(user, "shipshape", "manifests")
				}
			}
			return Repo{Root: d, Cache: cache}, nil
		}
		if filepath.Dir(d) == d {
			return Repo{}, fmt.Errorf("no go.mod of %s above %s", modulePath, dir)
		}
	}
}

// Path joins slash-separated parts onto the repository root.
func (r Repo) Path(parts ...string) string {
	return filepath.Join(append([]string{r.Root}, parts...)...)
}

// goCommand is the go command of the toolchain running this code, so that
// tools build with the same Go as the tests (GOTOOLCHAIN=go1.27.3), not
// whatever go is first on PATH.
func goCommand(args ...string) *exec.Cmd {
	goroot := os.Getenv("GOROOT")
	if goroot == "" {
		goroot = runtime.GOROOT()
	}
	bin := filepath.Join(goroot, "bin", "go")
	if _, err := os.Stat(bin); err != nil {
		bin = "go"
	}
	return exec.Command(bin, args...)
}

// RunCommand executes cmd and returns its stdout; a failure carries stderr.
func RunCommand(cmd *exec.Cmd) ([]byte, error) {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return out, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return out, fmt.Errorf("%s: %w", strings.Join(cmd.Args, " "), err)
	}
	return out, nil
}
