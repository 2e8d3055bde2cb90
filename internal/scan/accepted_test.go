package scan

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeAccepted(t *testing.T, yaml string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "accepted.yaml")
	writeFile(t, file, yaml)
	return file
}

var day = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

// TestExpiredAcceptedEntryFails: on and after its expiry date an entry is
// an error naming it and its reason.
func TestExpiredAcceptedEntryFails(t *testing.T) {
	file := writeAccepted(t, `accepted:
  - scanner: gosec
    id: G304
    scope: [internal/config/, cmd/tool/]
    reason: paths come from the operator's flags
    expires: 2026-12-04
`)
	_, err := LoadAccepted(file, day)
	if err == nil || !strings.Contains(err.Error(), "gosec G304") || !strings.Contains(err.Error(), "expired on 2026-12-04") ||
		!strings.Contains(err.Error(), "operator's flags") {
		t.Fatalf("err = %v, want the expired gosec G304 entry named with its reason", err)
	}
	if _, err := LoadAccepted(file, day.AddDate(0, 0, -1)); err != nil {
		t.Fatalf("the day before expiry: %v", err)
	}
}

// TestAcceptedEntryNeedsEveryField: an entry without a reason, an unknown
// scanner, a bad date and an unknown key are refused.
func TestAcceptedEntryNeedsEveryField(t *testing.T) {
	for name, entry := range map[string]string{
		"no reason":       "scanner: gosec\n    id: G304\n    scope: a.go\n    expires: 2027-01-01",
		"unknown scanner": "scanner: snyk\n    id: X\n    scope: a.go\n    reason: r\n    expires: 2027-01-01",
		"bad date":        "scanner: gosec\n    id: G304\n    scope: a.go\n    reason: r\n    expires: 1.1.2027",
		"unknown key":     "scanner: gosec\n    id: G304\n    scope: a.go\n    reason: r\n    expires: 2027-01-01\n    owner: me",
	} {
		if _, err := LoadAccepted(writeAccepted(t, "accepted:\n  - "+entry+"\n"), day); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSplitByScannerIDAndScope: an entry covers its scanner's id only
// inside its scope.
func TestSplitByScannerIDAndScope(t *testing.T) {
	accepted := []Accepted{
		{Scanner: "gosec", ID: "G304", Scope: Scopes{"cmd/tool/", "internal/config/"}},
		{Scanner: "govulncheck", ID: "GO-2021-0113", Scope: Scopes{"golang.org/x/text"}},
	}
	in := []Finding{
		{Scanner: "gosec", ID: "G304", Path: "internal/config/load.go"},         // covered
		{Scanner: "gosec", ID: "G304", Path: "internal/configx/load.go"},        // other directory
		{Scanner: "gosec", ID: "G402", Path: "internal/config/load.go"},         // other id
		{Scanner: "trivy", ID: "G304", Path: "internal/config/load.go"},         // other scanner
		{Scanner: "govulncheck", ID: "GO-2021-0113", Path: "golang.org/x/text"}, // covered
	}
	open, covered := Split(in, accepted)
	if len(covered) != 2 || covered[0] != in[0] || covered[1] != in[4] || len(open) != 3 {
		t.Fatalf("covered %v, open %v", covered, open)
	}
}

// TestRealAcceptedFileIsValid: the repository's list loads today.
func TestRealAcceptedFileIsValid(t *testing.T) {
	if _, err := LoadAccepted(repo(t).Path(AcceptedFile), time.Now()); err != nil {
		t.Fatal(err)
	}
}
