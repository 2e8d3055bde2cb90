package manifestcheck

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// regocheck builds (or finds cached) the policy runner, and makes the
// fixture directory the working directory so messages name files as given.
func regocheck(t *testing.T) string {
	t.Helper()
	r, err := FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := r.EnsureTool(Regocheck)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join("testdata", "regocheck"))
	return bin
}

// TestRunPoliciesReadsWhatConftestReads: every document of every file is one
// entry of the combined input (YAML documents, a JSON list's elements, a
// Terraform file as conftest's HCL parser shapes it), data files are merged
// into data, deny and violation_* fail with strings or objects' msg, an
// exception turns its rule into one exception, and warnings do not fail.
func TestRunPoliciesReadsWhatConftestReads(t *testing.T) {
	bin := regocheck(t)
	failures, err := RunPolicies(bin, []string{"--policy", "policy", "--data", "data"},
		"input/objects.yaml", "input/list.json", "input/bucket.tf")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range failures {
		got = append(got, f.Namespace+" "+f.Msg)
	}
	want := []string{
		`fixture.excepted exception: data.fixture.excepted.exception[_][_] == "label"`,
		"fixture.kinds input/bucket.tf: bucket logs without versioning",
		"fixture.kinds input/list.json: Pod from-json",
		"fixture.kinds input/objects.yaml: Pod first",
		"fixture.kinds input/objects.yaml: size 12 over 10",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRunPoliciesRefusesWhatItCannotRead: an unknown file type, a policy
// that does not compile and a missing file are errors, not passes.
func TestRunPoliciesRefusesWhatItCannotRead(t *testing.T) {
	bin := regocheck(t)
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "broken.rego"), []byte("package broken\n\ndeny contains msg if {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		args  []string
		files []string
		want  string
	}{
		"unknown file type": {[]string{"--policy", "policy"}, []string{"policy/kinds.rego"}, "unsupported file type"},
		"broken policy":     {[]string{"--policy", broken}, []string{"input/objects.yaml"}, "broken.rego"},
		"missing input":     {[]string{"--policy", "policy"}, []string{"input/absent.yaml"}, "absent.yaml"},
	} {
		if _, err := RunPolicies(bin, c.args, c.files...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error naming %q", name, err, c.want)
		}
	}
}
