package scan

import (
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitleaksNamesAnInjectedSecret: a GitHub token committed into a fixture
// repository and removed again in the next commit is still found in the
// history, named by rule, commit, file and line. The token is made up at
// run time so that no secret-shaped string is committed to this repository.
func TestGitleaksNamesAnInjectedSecret(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(dir, "README"), "fixture\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "clean start")
	token := "ghp_" + rand.Text() + rand.Text()[:10] // 36 random base32 characters
	writeFile(t, filepath.Join(dir, "deploy.env"), "# deploy settings\nGITHUB_TOKEN="+token+"\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "add deploy settings")
	leaked := git(t, dir, "rev-parse", "HEAD")
	git(t, dir, "rm", "-q", "deploy.env")
	git(t, dir, "commit", "-q", "-m", "remove deploy settings")

	findings, hist, err := RunGitleaks(tool(t, Gitleaks), dir)
	if err != nil {
		t.Fatal(err)
	}
	if hist.Commits != 3 || hist.Shallow {
		t.Errorf("history = %v, want 3 commits, not shallow", hist)
	}
	f := findingWith(t, findings, "github-pat")
	if f.Path != "deploy.env" || f.Line != 2 || !strings.HasPrefix(leaked, f.Commit) {
		t.Errorf("finding at %s, want %s:deploy.env:2", f.Where(), leaked[:12])
	}
	if strings.Contains(f.String(), token) {
		t.Errorf("finding %q shows the secret; it must be redacted", f)
	}

	// The same repository cloned shallow shows only the last commit, and
	// says so: the secret removed before it is out of sight.
	shallow := filepath.Join(t.TempDir(), "shallow")
	git(t, dir, "clone", "-q", "--depth", "1", "file://"+dir, shallow)
	findings, hist, err = RunGitleaks(tool(t, Gitleaks), shallow)
	if err != nil {
		t.Fatal(err)
	}
	if !hist.Shallow || hist.Commits != 1 || len(findings) != 0 {
		t.Errorf("shallow clone: history %v, findings %v; want 1 commit, shallow, none", hist, findings)
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=fixture", "-c", "user.email=fixture@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func writeFile(t *testing.T, file, content string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
