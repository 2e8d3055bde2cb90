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

// TestWorkflowPolicyNamesUnpinnedActions: the fixture's tag-pinned
// checkout is named at its line; a SHA without a version comment and a
// workflow without top-level permissions are findings too.
func TestWorkflowPolicyNamesUnpinnedActions(t *testing.T) {
	findings, err := WorkflowPolicy(filepath.Join("testdata", "workflows"), "broken.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 || findings[0].ID != "pin" || findings[0].Line != 14 {
		t.Fatalf("findings %v, want one unpinned action at line 14", findings)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "w.yml"), `on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - uses: ./local-action
`)
	findings, err = WorkflowPolicy(dir, "w.yml")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, f := range findings {
		ids[f.ID] = f.Line
	}
	if len(findings) != 2 || ids["permissions"] != 1 || ids["pin"] != 6 {
		t.Fatalf("findings %v, want no permissions (line 1) and a SHA without version (line 6)", findings)
	}
}

// TestRealWorkflowsFollowThePolicy: every workflow of the repository pins
// its actions and sets top-level permissions (actionlint itself runs over
// them in make scan).
func TestRealWorkflowsFollowThePolicy(t *testing.T) {
	root := repo(t).Root
	files, err := WorkflowFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no .github/workflows files found")
	}
	for _, f := range files {
		findings, err := WorkflowPolicy(root, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, finding := range findings {
			t.Error(finding)
		}
	}
}
