// Command misconfig runs trivy's Terraform misconfiguration checks (the
// Rego checks trivy embeds, github.com/aquasecurity/trivy pinned in
// tools/trivy/go.mod) over one directory, offline, and prints what
// `trivy config --format json` would: {"Results": [{"Target",
// "Misconfigurations": [{"ID", "Severity", "Title", "Status"}]}]}, failures
// only. Why not trivy's own command: it compiles every image, language and
// cloud scanner (about 3,100 packages) for a check that needs well under half
// of them, most of terraform-check's cold build. Findings accepted inline
// (#trivy:ignore:<ID>) are left out, as trivy does.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/aquasecurity/trivy/pkg/iac/rego"
	"github.com/aquasecurity/trivy/pkg/iac/scan"
	"github.com/aquasecurity/trivy/pkg/iac/scanners/terraform"
)

// trivyVersion is the module version pinned in go.mod; checks that need a
// newer trivy are filtered out as trivy itself would.
const trivyVersion = "0.74.0"

type finding struct {
	ID, Severity, Title, Status string
}

type target struct {
	Target            string
	Misconfigurations []finding
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: misconfig DIR")
		os.Exit(2)
	}
	report, err := scanDir(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "misconfig:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct{ Results []target }{report}); err != nil {
		fmt.Fprintln(os.Stderr, "misconfig:", err)
		os.Exit(1)
	}
}

func scanDir(dir string) ([]target, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	scanner := terraform.New(
		rego.WithEmbeddedPolicies(true),
		rego.WithEmbeddedLibraries(true),
		rego.WithTrivyVersion(trivyVersion),
		terraform.ScannerWithAllDirectories(true),
	)
	results, err := scanner.ScanFS(context.Background(), os.DirFS(abs), ".")
	if err != nil {
		return nil, err
	}
	return failures(results), nil
}

// failures groups the failed results by file, in a stable order.
func failures(results scan.Results) []target {
	byFile := map[string][]finding{}
	for _, r := range results {
		flat := r.Flatten()
		if flat.Status != scan.StatusFailed {
			continue
		}
		byFile[flat.Location.Filename] = append(byFile[flat.Location.Filename], finding{
			ID: r.Rule().ID, Severity: string(flat.Severity), Title: r.Rule().Summary, Status: "FAIL",
		})
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	out := make([]target, 0, len(files))
	for _, f := range files {
		out = append(out, target{Target: f, Misconfigurations: byFile[f]})
	}
	return out
}
