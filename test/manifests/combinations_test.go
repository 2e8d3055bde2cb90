package manifests_test

import (
	"bytes"
	"fmt"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
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
	combos := manifestcheck.AllCombinations(components)
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
	unique := manifestcheck.UniqueDocuments(streams)
	findings, err := tb.Validate(unique)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("kubeconform: %s", f)
	}
	objs, err := manifestcheck.Decode(unique)
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

func TestUniqueDocuments(t *testing.T) {
	a := []byte("kind: A\n---\nkind: B\n")
	b := []byte("kind: B\n---\nkind: C\n")
	objs, err := manifestcheck.Decode(manifestcheck.UniqueDocuments([][]byte{a, b}))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("want A, B, C once each, got %v", objs)
	}
}
