package scan

import (
	"path/filepath"
	"testing"
)

// TestActionlintNamesBrokenWorkflow: a misspelled trigger filter, an
// undefined context property and an unknown action input are each named
// with their line.
func TestActionlintNamesBrokenWorkflow(t *testing.T) {
	findings, err := RunActionlint(tool(t, Actionlint), filepath.Join("testdata", "workflows"), "broken.yml")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[int]string{}
	for _, f := range findings {
		if f.Path != "broken.yml" {
			t.Errorf("finding in %q, want broken.yml", f.Path)
		}
		lines[f.Line] = f.ID
	}
	for line, kind := range map[int]string{6: "syntax-check", 13: "expression", 16: "action"} {
		if lines[line] != kind {
			t.Errorf("line %d: got %q, want a %s finding; all: %v", line, lines[line], kind, findings)
		}
	}
}

// TestRealWorkflowsAreFound: the real tree's lint covers every workflow.
func TestRealWorkflowsAreFound(t *testing.T) {
	files, err := WorkflowFiles(repo(t).Root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no .github/workflows files found")
	}
}
