package clustertest

import (
	"os"
	"os/exec"
)

// pinnedTool runs a tool pinned in tools/go.mod (`go tool` from the
// repository's root repo) with env added to the environment, and returns
// what it printed on stdout; on failure the error carries its stderr.
func pinnedTool(repo string, env []string, args ...string) (string, error) {
	cmd := exec.Command("go", append([]string{"tool", "-modfile=tools/go.mod"}, args...)...)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), &CommandError{Err: err, Stderr: string(ee.Stderr)}
	}
	return string(out), err
}

// CommandError is a failed command with what it wrote to stderr.
type CommandError struct {
	Err    error
	Stderr string
}

func (e *CommandError) Error() string { return e.Err.Error() + ": " + e.Stderr }
