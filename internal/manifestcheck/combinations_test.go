package manifestcheck

import (
	"os"
	"path/filepath"
	"testing"
)

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
	write("internal/manifestcheck/validate.go", "package manifestcheck\n")
	write("test/manifests/suite_test.go", "package manifests_test\n")
	key := func() string {
		k, err := filesKey(root, "tools\n", keyedDirs)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	before := key()
	for _, checker := range []string{"internal/manifestcheck/validate.go", "test/manifests/suite_test.go"} {
		write(checker, "package x // stricter now\n")
		if key() == before {
			t.Errorf("a change to %s kept the key: an old pass would be replayed", checker)
		}
		before = key()
	}
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
