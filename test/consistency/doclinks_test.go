package consistency

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// markdownLink matches [text](target) and captures the target up to an
// optional #fragment or title.
var markdownLink = regexp.MustCompile(`\]\(([^)\s#]*)(#[^)\s]*)?(?:\s+"[^"]*")?\)`)

// TestDocumentLinksResolve: every relative link in the repository's
// Markdown names a file or directory that exists, so docs cannot keep
// pointing at something moved or never committed.
func TestDocumentLinksResolve(t *testing.T) {
	root := repoRoot(t)
	for _, broken := range brokenLinks(t, root) {
		t.Error(broken)
	}
}

// TestBrokenLinksFound proves the scan reports a missing target and
// accepts existing files, directories, anchors and outside URLs.
func TestBrokenLinksFound(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "docs", "adr"), 0o755); err != nil {
		t.Fatal(err)
	}
	doc := "[ok](adr/) [ok](../README.md#top) [ok](#local) [ok](https://example.com/x)\n[gone](TOOLCHAIN.md)\n"
	for name, text := range map[string]string{"README.md": "# top\n", "docs/a.md": doc} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := brokenLinks(t, dir)
	if len(got) != 1 || !strings.Contains(got[0], "docs/a.md: TOOLCHAIN.md") {
		t.Errorf("broken links = %q, want only docs/a.md's TOOLCHAIN.md", got)
	}
}

func brokenLinks(t *testing.T, root string) []string {
	t.Helper()
	var broken []string
	walkFiles(t, root, func(path string, d fs.DirEntry) error {
		if !strings.HasSuffix(d.Name(), ".md") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		for _, m := range markdownLink.FindAllStringSubmatch(readFile(t, path), -1) {
			target := m[1]
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), filepath.FromSlash(target))); err != nil {
				broken = append(broken, filepath.ToSlash(rel)+": "+target)
			}
		}
		return nil
	})
	return broken
}
