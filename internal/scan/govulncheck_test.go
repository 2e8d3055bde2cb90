package scan

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestGovulncheckNamesTheImportedVulnerabilities: the fixture module
// imports golang.org/x/text/language of x/text v0.3.5; the offline
// database built from the pinned vulndb module must report GO-2021-0113
// (language.Parse, which it calls) and GO-2022-1059 (ParseAcceptLanguage,
// which it does not: package level reports both), naming the module, the
// package and the fixed version, and nothing for the module's advisories
// on packages it does not import.
func TestGovulncheckNamesTheImportedVulnerabilities(t *testing.T) {
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
	for _, want := range []string{"golang.org/x/text@v0.3.5", "imported: golang.org/x/text/language", "fixed in v0.3.7", "Out-of-bounds read"} {
		if !strings.Contains(f.Why, want) {
			t.Errorf("finding %q does not say %q", f, want)
		}
	}
	findingWith(t, findings, "GO-2022-1059")
	var ids []string
	for _, f := range findings {
		ids = append(ids, f.ID)
	}
	if len(findings) != 2 {
		t.Errorf("findings %q, want only the two advisories of golang.org/x/text/language", ids)
	}
}
