package clustertest

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeRunbook(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "runbook.md")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadRunbookKeepsOnlyNamedStepsInOrder(t *testing.T) {
	path := writeRunbook(t, "# Drill\n\n```sh\necho an example, never run\n```\n\n"+
		"```sh step:first\necho \"one $WHO\" >>\"$OUT\"\n```\n\ntext\n\n"+
		"1. In a list:\n\n   ```sh step:second\n   echo two >>\"$OUT\"\n   ```\n")
	rb, err := ReadRunbook(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := rb.Names(); !slices.Equal(got, []string{"first", "second"}) {
		t.Fatalf("steps %v, want [first second]", got)
	}

	out := filepath.Join(t.TempDir(), "out")
	d := Drill{Env: []string{"WHO=drill", "OUT=" + out}}
	d.Run(t, rb, "first")
	d.Run(t, rb, "second")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "one drill\ntwo\n" {
		t.Fatalf("ran %q, want both steps with the drill's environment", data)
	}
	if err := d.Followed(rb); err != nil {
		t.Fatal(err)
	}

	skipped := Drill{Env: d.Env}
	skipped.Run(t, rb, "second")
	if skipped.Followed(rb) == nil {
		t.Fatal("a drill that skipped a step passed as having followed the runbook")
	}
	if err := skipped.FollowedExcept(rb, "first"); err != nil {
		t.Fatalf("a drill that left out only the replaced step: %v", err)
	}
	if d.FollowedExcept(rb, "first") == nil {
		t.Fatal("a drill that ran a replaced step passed as having followed the runbook without it")
	}
}

func TestReadRunbookRefusesMalformedSteps(t *testing.T) {
	for name, text := range map[string]string{
		"no steps":  "```sh\nls\n```\nnamed in text only: ```sh step:x\n",
		"twice":     "```sh step:a\nls\n```\n```sh step:a\nls\n```\n",
		"unclosed":  "```sh step:a\nls\n",
		"no name":   "```sh step:\nls\n```\n",
		"two words": "```sh step:a b\nls\n```\n",
	} {
		_, err := ReadRunbook(writeRunbook(t, text))
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		// only a file without steps is passed over by the repository check
		if errors.Is(err, ErrNoSteps) != (name == "no steps") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestRunScriptStopsAtTheFirstFailingCommand(t *testing.T) {
	out, err := runScript("echo before\nfalse\necho after\n", "", nil)
	if err == nil || !strings.Contains(out, "before") || strings.Contains(out, "after") {
		t.Fatalf("err %v, output %q: want a failure right after the failing command", err, out)
	}
	if _, err := runScript("false | true\n", "", nil); err == nil {
		t.Fatal("a failure inside a pipeline passed (pipefail)")
	}
}

// Every runbook with step blocks parses: a malformed one fails make test,
// not the drill in the cluster.
func TestTheProjectsRunbooksParse(t *testing.T) {
	paths, err := filepath.Glob("../../docs/runbooks/*.md")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, p := range paths {
		_, err := ReadRunbook(p)
		switch {
		case errors.Is(err, ErrNoSteps):
		case err != nil:
			t.Error(err)
		default:
			found++
		}
	}
	if found < 4 {
		t.Fatalf("%d runbooks in docs/runbooks have step blocks, want at least the restore and rebuild ones", found)
	}
}
