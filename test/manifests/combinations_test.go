package manifests

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestComponentCombinations builds base with every subset of the
// components (each one opt-in, so any mix must build) and validates every
// distinct object strictly. 2^9 builds take about a minute of CPU, so a
// pass is recorded under the hash of every input (InputsKey) and a run with
// the same inputs only checks that record; MANIFESTS_NO_CACHE=1 forces the
// builds.
func TestComponentCombinations(t *testing.T) {
	tb := box(t)
	components, err := tb.Components()
	if err != nil {
		t.Fatal(err)
	}
	key, err := tb.InputsKey()
	if err != nil {
		t.Fatal(err)
	}
	record := filepath.Join(tb.Cache, "combinations", key+".passed")
	if os.Getenv("MANIFESTS_NO_CACHE") == "" {
		if data, err := os.ReadFile(record); err == nil {
			t.Logf("unchanged inputs %s: %s", key, data)
			return
		}
	}
	if len(components) < 8 {
		t.Fatalf("expected at least 8 components, found %v", components)
	}
	combos := AllCombinations(components)
	results, err := tb.BuildCombinations(combos)
	if err != nil {
		t.Fatal(err)
	}
	// The shortcut (components applied to base rendered once) gives what
	// building from base itself gives, here for every component at once.
	all := results[len(results)-1]
	direct := tb.BuildCombination(filepath.Join(t.TempDir(), "direct"), tb.BaseDir(), all.Combination)
	if direct.Err != nil || all.Err != nil {
		t.Fatalf("%s: %v, %v", all.Combination, direct.Err, all.Err)
	}
	if !bytes.Equal(direct.YAML, all.YAML) {
		t.Fatalf("%s: built on the rendered base differs from built on base", all.Combination)
	}
	var streams [][]byte
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Combination, r.Err)
			continue
		}
		streams = append(streams, r.YAML)
	}
	unique := UniqueDocuments(streams)
	findings, err := tb.Validate(unique)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("kubeconform: %s", f)
	}
	objs, err := Decode(unique)
	if err != nil {
		t.Fatal(err)
	}
	summary := fmt.Sprintf("%d combinations of %d components built; %d distinct objects validated", len(combos), len(components), len(objs))
	t.Log(summary)
	if !t.Failed() {
		if err := os.MkdirAll(filepath.Dir(record), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(record, []byte(summary+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFilesKeyCoversCheckerCode: the key that lets a run replay an earlier
// pass changes with the manifests and with the checker's own code, and a
// keyed directory that went missing is an error.
func TestFilesKeyCoversCheckerCode(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("deploy/kubernetes/apps/base/kustomization.yaml", "resources: []\n")
	write("deploy/kubernetes/apps/components/x/kustomization.yaml", "kind: Component\n")
	write("test/manifests/validate.go", "package manifests\n")
	key := func() string {
		k, err := filesKey(root, "tools\n", keyedDirs)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	before := key()
	write("test/manifests/validate.go", "package manifests // stricter now\n")
	if key() == before {
		t.Error("a change to the checker's code kept the key: an old pass would be replayed")
	}
	before = key()
	write("deploy/kubernetes/apps/components/x/kustomization.yaml", "kind: Component # changed\n")
	if key() == before {
		t.Error("a change to a component kept the key")
	}
	if _, err := filesKey(root, "", append(keyedDirs, "deploy/kubernetes/moved")); err == nil {
		t.Error("a missing keyed directory must be an error")
	}
}

func TestAllCombinations(t *testing.T) {
	got := AllCombinations([]string{"a", "b", "c"})
	if len(got) != 8 {
		t.Fatalf("got %d combinations, want 8", len(got))
	}
	seen := map[string]bool{}
	for _, c := range got {
		seen[c.String()] = true
	}
	for _, want := range []string{"base", "base+a", "base+b+c", "base+a+b+c"} {
		if !seen[want] {
			t.Errorf("missing %s in %v", want, got)
		}
	}
}

func TestUniqueDocuments(t *testing.T) {
	a := []byte("kind: A\n---\nkind: B\n")
	b := []byte("kind: B\n---\nkind: C\n")
	objs, err := Decode(UniqueDocuments([][]byte{a, b}))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("want A, B, C once each, got %v", objs)
	}
}
