package scan

import (
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
)

// The scanner itself, not only its exit code: each fixture's known flaw is
// found, named by check id, file and line.
func TestTrivyFindsTheFixturesFlaws(t *testing.T) {
	misconfig := tool(t, terraformcheck.Trivy)
	for _, c := range []struct {
		kind, dir, id, file string
		line                int
	}{
		{"kubernetes", "kubernetes", "KSV-0017", "privileged.yaml", 25}, // privileged container
		{"dockerfile", "docker", "DS-0002", "root.Dockerfile", 4},       // last USER is root
	} {
		t.Run(c.kind, func(t *testing.T) {
			findings, err := RunTrivyConfig(misconfig, c.kind, filepath.Join("testdata", "trivy", c.dir), func(f string) string { return f })
			if err != nil {
				t.Fatal(err)
			}
			f := findingWith(t, findings, c.id)
			if f.Path != c.file || f.Line != c.line || f.Scanner != "trivy" {
				t.Errorf("%s found at %s:%d by %q, want %s:%d", c.id, f.Path, f.Line, f.Scanner, c.file, c.line)
			}
		})
	}
}
