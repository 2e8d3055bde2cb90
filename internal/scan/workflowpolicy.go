package scan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// pinnedUses is an action pinned by full commit SHA with its version in a
// comment: `uses: owner/repo@<40 hex> # v1.2.3`.
var pinnedUses = regexp.MustCompile(`^[^@\s]+@[0-9a-f]{40}$`)

var versionComment = regexp.MustCompile(`^#\s*v\d`)

// WorkflowPolicy checks what actionlint does not: every action is pinned by
// full commit SHA with the version in a comment (a tag can be moved to other
// code; the comment lets people and Dependabot read the version), and the
// workflow sets `permissions:` at its top level, so no job silently gets
// the repository's default token rights. Local actions (./...) and docker://
// images are out of its scope. file is relative to dir.
func WorkflowPolicy(dir, file string) ([]Finding, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not a workflow mapping", file)
	}
	var findings []Finding
	top := doc.Content[0]
	if valueOf(top, "permissions") == nil {
		findings = append(findings, Finding{Scanner: "actionlint", ID: "permissions", Path: file, Line: top.Line,
			Why: "no top-level permissions: set the least the jobs need (e.g. contents: read) and widen per job"})
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "uses" && v.Kind == yaml.ScalarNode {
					if f, bad := checkUses(file, v); bad {
						findings = append(findings, f)
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(top)
	return findings, nil
}

func checkUses(file string, v *yaml.Node) (Finding, bool) {
	ref := v.Value
	if len(ref) >= 2 && ref[:2] == "./" || len(ref) >= 9 && ref[:9] == "docker://" {
		return Finding{}, false
	}
	f := Finding{Scanner: "actionlint", ID: "pin", Path: file, Line: v.Line}
	switch {
	case !pinnedUses.MatchString(ref):
		f.Why = ref + " is not pinned by full commit SHA"
	case !versionComment.MatchString(v.LineComment):
		f.Why = ref + " has no `# vX.Y.Z` comment naming the version of that SHA"
	default:
		return Finding{}, false
	}
	return f, true
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
