package scan

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

func repo(t *testing.T) manifestcheck.Repo {
	t.Helper()
	r, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tool builds (or finds cached) a pinned scanner.
func tool(t *testing.T, tl manifestcheck.Tool) string {
	t.Helper()
	bin, err := repo(t).EnsureTool(tl)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// findingWith returns the first finding with id, failing the test with
// everything found when there is none.
func findingWith(t *testing.T, findings []Finding, id string) Finding {
	t.Helper()
	for _, f := range findings {
		if f.ID == id {
			return f
		}
	}
	var all []string
	for _, f := range findings {
		all = append(all, f.String())
	}
	t.Fatalf("no %s finding; found:\n%s", id, strings.Join(all, "\n"))
	return Finding{}
}
