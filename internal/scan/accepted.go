package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// AcceptedFile is the one reviewed list of accepted findings, relative to
// the repository root.
const AcceptedFile = "security/accepted-findings.yaml"

// Accepted is one reviewed exception: a finding of Scanner with ID inside
// Scope is not a failure until Expires.
type Accepted struct {
	Scanner string `yaml:"scanner"`
	ID      string `yaml:"id"`
	// Scope is one or a list of: a file, a directory ending in "/"
	// (everything under it) or, for govulncheck, a module path.
	Scope   Scopes `yaml:"scope"`
	Reason  string `yaml:"reason"`
	Expires string `yaml:"expires"` // YYYY-MM-DD; the entry stops counting that day
}

// Matches reports whether the entry covers f.
func (a Accepted) Matches(f Finding) bool {
	if a.Scanner != f.Scanner || a.ID != f.ID {
		return false
	}
	for _, s := range a.Scope {
		if f.Path == s || strings.HasSuffix(s, "/") && strings.HasPrefix(f.Path, s) {
			return true
		}
	}
	return false
}

// Scopes is a scope written as one string or as a list.
type Scopes []string

// UnmarshalYAML takes a string or a list of strings.
func (s *Scopes) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = Scopes{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*s = list
	return nil
}

func (a Accepted) String() string {
	return fmt.Sprintf("%s %s in %s (expires %s)", a.Scanner, a.ID, strings.Join(a.Scope, ", "), a.Expires)
}

var knownScanners = map[string]bool{"govulncheck": true, "gosec": true, "gitleaks": true, "trivy": true, "actionlint": true}

// LoadAccepted reads the accepted findings. It refuses an entry with a
// missing field, an unknown scanner or a bad date, and returns every
// entry expired on day now as an error naming it: an exception must be
// reviewed again, not silently outlive its reason.
func LoadAccepted(file string, now time.Time) ([]Accepted, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc struct {
		// Named lists of scopes that entries refer to with YAML aliases.
		ScopeGroups map[string]Scopes `yaml:"scope-groups"`
		Accepted    []Accepted        `yaml:"accepted"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	today := now.UTC().Format(time.DateOnly)
	var problems []error
	for i, a := range doc.Accepted {
		entry := fmt.Sprintf("%s: entry %d (%s %s)", file, i+1, a.Scanner, a.ID)
		switch {
		case a.Scanner == "" || a.ID == "" || len(a.Scope) == 0 || slices.Contains(a.Scope, "") || a.Reason == "" || a.Expires == "":
			problems = append(problems, fmt.Errorf("%s: scanner, id, scope, reason and expires are all required", entry))
		case !knownScanners[a.Scanner]:
			problems = append(problems, fmt.Errorf("%s: unknown scanner %q", entry, a.Scanner))
		default:
			if _, err := time.Parse(time.DateOnly, a.Expires); err != nil {
				problems = append(problems, fmt.Errorf("%s: expires %q is not YYYY-MM-DD", entry, a.Expires))
			} else if a.Expires <= today {
				problems = append(problems, fmt.Errorf("%s: expired on %s (%s): fix the finding or review the entry and set a new date", entry, a.Expires, a.Reason))
			}
		}
	}
	return doc.Accepted, errors.Join(problems...)
}

// Split separates findings covered by an accepted entry from the rest.
func Split(findings []Finding, accepted []Accepted) (open, covered []Finding) {
	for _, f := range findings {
		if accepts(accepted, f) {
			covered = append(covered, f)
		} else {
			open = append(open, f)
		}
	}
	return open, covered
}

func accepts(accepted []Accepted, f Finding) bool {
	for _, a := range accepted {
		if a.Matches(f) {
			return true
		}
	}
	return false
}
