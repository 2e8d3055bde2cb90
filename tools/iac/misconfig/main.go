// Command misconfig runs trivy's misconfiguration checks (the Rego checks
// trivy embeds, github.com/aquasecurity/trivy pinned in tools/go.mod)
// for Terraform, Kubernetes manifests or Dockerfiles over one directory,
// offline, and prints what `trivy config --format json` would:
// {"Results": [{"Target", "Misconfigurations": [{"ID", "Severity", "Title",
// "Message", "Status", "CauseMetadata": {"StartLine"}}]}]}, failures only.
// Why not trivy's own command: it compiles every image, language and cloud
// scanner (about 3,100 packages) for checks that need well under half of
// them, most of the scans' cold build. Findings accepted inline
// (#trivy:ignore:<ID>) are left out, as trivy does.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/aquasecurity/trivy/pkg/iac/rego"
	"github.com/aquasecurity/trivy/pkg/iac/scan"
	"github.com/aquasecurity/trivy/pkg/iac/scanners/dockerfile"
	"github.com/aquasecurity/trivy/pkg/iac/scanners/options"
	"github.com/aquasecurity/trivy/pkg/iac/scanners/terraform"
)

// trivyVersion is the module version pinned in go.mod; checks that need a
// newer trivy are filtered out as trivy itself would.
const trivyVersion = "0.74.0"

type finding struct {
	ID, Severity, Title, Message, Status string
	CauseMetadata                        struct{ StartLine int }
}

// fsScanner is what the three scanners have in common.
type fsScanner interface {
	ScanFS(ctx context.Context, fsys fs.FS, dir string) (scan.Results, error)
}

// scanners build the scanner for each -type, with the options all share.
var scanners = map[string]func(common ...options.ScannerOption) fsScanner{
	"terraform": func(common ...options.ScannerOption) fsScanner {
		return terraform.New(append(common, terraform.ScannerWithAllDirectories(true))...)
	},
	"kubernetes": newKubernetesScanner,
	"dockerfile": func(common ...options.ScannerOption) fsScanner { return dockerfile.NewScanner(common...) },
}

type target struct {
	Target            string
	Misconfigurations []finding
}

func main() {
	kind := flag.String("type", "terraform", "what the directory holds: terraform, kubernetes or dockerfile")
	flag.Parse()
	newScanner, ok := scanners[*kind]
	if flag.NArg() != 1 || !ok {
		fmt.Fprintln(os.Stderr, "usage: misconfig [-type terraform|kubernetes|dockerfile] DIR")
		os.Exit(2)
	}
	report, err := scanDir(newScanner, flag.Arg(0))
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

func scanDir(newScanner func(...options.ScannerOption) fsScanner, dir string) ([]target, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	scanner := newScanner(
		rego.WithEmbeddedPolicies(true),
		rego.WithEmbeddedLibraries(true),
		rego.WithTrivyVersion(trivyVersion),
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
		f := finding{ID: r.Rule().ID, Severity: string(flat.Severity), Title: r.Rule().Summary, Message: r.Description(), Status: "FAIL"}
		f.CauseMetadata.StartLine = flat.Location.StartLine
		byFile[flat.Location.Filename] = append(byFile[flat.Location.Filename], f)
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
