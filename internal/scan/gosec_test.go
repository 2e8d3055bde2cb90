package scan

import (
	"path/filepath"
	"testing"
)

// TestGosecNamesTheViolations: the fixture trusts any TLS certificate and
// imports and uses MD5; the module below it (as tools/* sit below the
// project's) draws from a weak random source. gosec must name each rule at
// its line, and nothing in the excluded directory.
func TestGosecNamesTheViolations(t *testing.T) {
	findings, err := RunGosec(tool(t, Gosec), filepath.Join("testdata", "gosecmod"), []string{"skipped"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"G501": "client.go:5", "G402": "client.go:12", "G401": "client.go:17", "G404": "tools/seed/main.go:9"}
	for id, where := range want {
		if f := findingWith(t, findings, id); f.Where() != where {
			t.Errorf("%s at %s, want %s", id, f.Where(), where)
		}
	}
	if len(findings) != len(want) {
		t.Errorf("%d findings, want %d (one per rule above): %v", len(findings), len(want), findings)
	}
}
