package clustertest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// stepFence opens a runbook block that a drill runs: "```sh step:<name>".
// Plain "```sh" blocks are examples for a reader and never run.
const stepFence = "```sh step:"

// ErrNoSteps is ReadRunbook's error for a markdown file without step
// blocks (a runbook no drill runs).
var ErrNoSteps = errors.New("no step blocks")

// Runbook is the named shell steps of one markdown runbook in
// docs/runbooks, in the order the runbook gives them. Restore drills run
// these very steps against the test cluster, so a runbook cannot drift
// from what is tested.
type Runbook struct {
	Path  string
	Steps []Step
}

// Step is one named block: shell commands an operator pastes as a whole.
type Step struct {
	Name, Script string
}

// ReadRunbook parses the step blocks of the markdown file at path. A step
// name used twice, an unclosed block or a file without steps is an error.
func ReadRunbook(path string) (Runbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return Runbook{}, err
	}
	defer f.Close()
	rb := Runbook{Path: path}
	var cur *Step
	var body strings.Builder
	indent := "" // a block inside a list item is indented as a whole
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		trimmed := strings.TrimLeft(text, " ")
		switch {
		case cur == nil && strings.HasPrefix(trimmed, stepFence):
			indent = text[:len(text)-len(trimmed)]
			name := strings.TrimSpace(strings.TrimPrefix(trimmed, stepFence))
			if name == "" || strings.ContainsAny(name, " \t") {
				return Runbook{}, fmt.Errorf("%s:%d: a step block needs one name after %q", path, line, stepFence)
			}
			if slices.ContainsFunc(rb.Steps, func(s Step) bool { return s.Name == name }) {
				return Runbook{}, fmt.Errorf("%s:%d: step %q given twice", path, line, name)
			}
			cur = &Step{Name: name}
			body.Reset()
		case cur != nil && strings.TrimSpace(text) == "```":
			cur.Script = body.String()
			rb.Steps = append(rb.Steps, *cur)
			cur = nil
		case cur != nil:
			body.WriteString(strings.TrimPrefix(text, indent))
			body.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return Runbook{}, err
	}
	if cur != nil {
		return Runbook{}, fmt.Errorf("%s: step %q is never closed", path, cur.Name)
	}
	if len(rb.Steps) == 0 {
		return Runbook{}, fmt.Errorf("%s: %w (%q)", path, ErrNoSteps, stepFence+"<name>")
	}
	return rb, nil
}

// Names lists the steps in the runbook's order.
func (rb Runbook) Names() []string {
	names := make([]string, len(rb.Steps))
	for i, s := range rb.Steps {
		names[i] = s.Name
	}
	return names
}

// MustReadRunbook is ReadRunbook failing the test.
func MustReadRunbook(t testing.TB, path string) Runbook {
	t.Helper()
	rb, err := ReadRunbook(path)
	if err != nil {
		t.Fatal(err)
	}
	return rb
}

// Drill runs runbook steps against the cluster the way an operator
// would, and remembers which it ran so that a test can show it followed
// each runbook whole and in its order.
type Drill struct {
	// Env is added to every step's environment (KUBECONFIG comes from
	// the test's own), e.g. the target time a step reads.
	Env []string
	// Dir is where the steps run: the repository's root, from which the
	// runbooks name files (the test's own directory if empty).
	Dir string
	ran map[string][]string // runbook path -> steps run, in order
}

// Run runs one step of rb with bash -euo pipefail; a failing step fails
// the test with its output.
func (d *Drill) Run(t testing.TB, rb Runbook, name string) {
	t.Helper()
	i := slices.IndexFunc(rb.Steps, func(s Step) bool { return s.Name == name })
	if i < 0 {
		t.Fatalf("%s has no step %q (steps: %v)", rb.Path, name, rb.Names())
	}
	began := time.Now()
	out, err := runScript(rb.Steps[i].Script, d.Dir, d.Env)
	if err != nil {
		t.Fatalf("%s, step %s: %v\n%s", rb.Path, name, err, out)
	}
	t.Logf("%s, step %s: %.1fs", rb.Path, name, time.Since(began).Seconds())
	if d.ran == nil {
		d.ran = map[string][]string{}
	}
	d.ran[rb.Path] = append(d.ran[rb.Path], name)
}

// Followed says which runbook the drill did not follow whole: every step
// once, in the runbook's order.
func (d *Drill) Followed(runbooks ...Runbook) error {
	var errs []error
	for _, rb := range runbooks {
		errs = append(errs, d.FollowedExcept(rb))
	}
	return errors.Join(errs...)
}

// FollowedExcept is Followed for one runbook whose steps named in replaced
// another runbook does its own way (the snapshot restore starts PostgreSQL
// unlike restore mode): every other step once, in order, and none of those.
func (d *Drill) FollowedExcept(rb Runbook, replaced ...string) error {
	want := slices.DeleteFunc(rb.Names(), func(n string) bool { return slices.Contains(replaced, n) })
	if got := d.ran[rb.Path]; !slices.Equal(got, want) {
		return fmt.Errorf("%s: the drill ran steps %v, the runbook has %v (replaced: %v)", rb.Path, got, rb.Names(), replaced)
	}
	return nil
}

// runScript runs one step's commands; the deadline bounds a step that
// waits on the cluster (each of those has a timeout of its own too).
func runScript(script, dir string, env []string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}
