package scan

import (
	"path/filepath"
	"testing"
)

// TestGosecNamesTheViolations: the fixture trusts any TLS certificate and
// hashes with MD5; gosec must name both rules at their lines.
func TestGosecNamesTheViolations(t *testing.T) {
	findings, err := RunGosec(tool(t, Gosec), filepath.Join("testdata", "gosecmod"), nil, "./...")
	if err != nil {
		t.Fatal(err)
	}
	for id, line := range map[string]int{"G402": 12, "G401": 17} {
		f := findingWith(t, findings, id)
		if f.Path != "client.go" || f.Line != line {
			t.Errorf("%s at %s, want client.go:%d", id, f.Where(), line)
		}
	}
}
