package clustertest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/freeport"
)

// A clone over HTTP sees what was pushed, a second push too; pushing over
// HTTP is refused.
func TestGitServerServesWhatWasPushed(t *testing.T) {
	addr, err := freeport.Addr()
	if err != nil {
		t.Fatal(err)
	}
	g := StartGitServer(t, addr)
	first := g.Commit(t, "first", map[string]string{"clusters/test/a.yaml": "a: 1\n"})
	g.Push(t)
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := isolatedGit(t.TempDir(), "clone", "--quiet", g.URL, clone); err != nil {
		t.Fatalf("clone %s: %v\n%s", g.URL, err, out)
	}
	if out, _ := isolatedGit(clone, "rev-parse", "HEAD"); strings.TrimSpace(out) != first {
		t.Errorf("the clone is at %q, want %s", out, first)
	}
	second := g.Commit(t, "second", map[string]string{"clusters/test/a.yaml": "", "clusters/test/b.yaml": "b: 2\n"})
	g.Push(t)
	if out, err := isolatedGit(clone, "pull", "--quiet"); err != nil {
		t.Fatalf("pull: %v\n%s", err, out)
	}
	if out, _ := isolatedGit(clone, "ls-files"); strings.TrimSpace(out) != "clusters/test/b.yaml" {
		t.Errorf("after the second push the clone holds %q", out)
	}
	if reverted := g.Revert(t, second); reverted == second {
		t.Error("revert made no commit")
	}
	if out, err := isolatedGit(clone, "push", g.URL, "HEAD:main"); err == nil {
		t.Errorf("a push over HTTP was accepted:\n%s", out)
	}
}
