package scan

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestGovulncheckNamesTheCalledVulnerability: the fixture module calls
// language.Parse of golang.org/x/text v0.3.5; the offline database built
// from the pinned vulndb module must report GO-2021-0113 for it, naming the
// module, the symbol, the caller and the fixed version.
func TestGovulncheckNamesTheCalledVulnerability(t *testing.T) {
	bin := tool(t, Govulncheck)
	db, err := EnsureVulnDB(repo(t))
	if err != nil {
		t.Fatal(err)
	}
	findings, err := RunGovulncheck(bin, db, filepath.Join("testdata", "vulnmod"), "./...")
	if err != nil {
		t.Fatal(err)
	}
	f := findingWith(t, findings, "GO-2021-0113")
	if f.Path != "golang.org/x/text" {
		t.Errorf("finding's module = %q, want golang.org/x/text", f.Path)
	}
	for _, want := range []string{"golang.org/x/text@v0.3.5", "golang.org/x/text/language.Parse", "main.go:12", "fixed in v0.3.7", "Out-of-bounds read"} {
		if !strings.Contains(f.Why, want) {
			t.Errorf("finding %q does not say %q", f, want)
		}
	}
}
