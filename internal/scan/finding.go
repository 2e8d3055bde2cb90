package scan

import "fmt"

// Finding is one thing a scanner reported.
type Finding struct {
	Scanner string // govulncheck, gosec, gitleaks, trivy, actionlint
	ID      string // the scanner's id: OSV id, rule id, check id
	Path    string // repository-relative file, or the module for govulncheck
	Line    int    // 0 when the finding has no line
	Commit  string // gitleaks: the commit that added the secret
	Why     string // the scanner's explanation, one line
}

// Where is the finding's location as people read it.
func (f Finding) Where() string {
	w := f.Path
	if f.Line > 0 {
		w = fmt.Sprintf("%s:%d", w, f.Line)
	}
	if f.Commit != "" {
		w = f.Commit + ":" + w
	}
	return w
}

func (f Finding) String() string {
	return fmt.Sprintf("%s %s at %s: %s", f.Scanner, f.ID, f.Where(), f.Why)
}
