package scan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// RunGosec runs gosec over the Go packages of every module under dir (dir
// itself must be one), skipping generated files and the directories in
// exclude (relative to dir), and returns its issues with paths relative to
// dir.
func RunGosec(gosec, dir string, exclude []string) ([]Finding, error) {
	dir, err := filepath.Abs(dir) // gosec reports absolute paths
	if err != nil {
		return nil, err
	}
	// Our gosec (tools/scan/gosec) always reports JSON, skips generated
	// files and ignores inline #nosec comments: exceptions live in the
	// accepted findings file only.
	var args []string
	for _, d := range exclude {
		args = append(args, "-exclude-dir="+d)
	}
	// gosec reads the dependencies' export data through go list. The
	// project's own module loads with -race: what make test's vet and go test
	// -race compile anyway. The tool mains' modules below it load with the
	// default flags their tool builds use (manifestcheck.EnsureTool): with
	// -race, go list compiled trivy's 1,372 packages a second time on a new
	// machine.
	args = append(args, "-goflags=-race")
	cmd := exec.Command(gosec, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var report struct {
		Issues []struct {
			Severity   string `json:"severity"`
			Confidence string `json:"confidence"`
			RuleID     string `json:"rule_id"`
			Details    string `json:"details"`
			File       string `json:"file"`
			Line       string `json:"line"` // "12" or "12-14"
			CWE        struct {
				ID string `json:"id"`
			} `json:"cwe"`
		} `json:"Issues"`
		Errors map[string][]struct {
			Line  int    `json:"line"`
			Error string `json:"error"`
		} `json:"Golang errors"`
		Stats struct {
			Files int `json:"files"`
		} `json:"Stats"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, fmt.Errorf("gosec's report: %v (exit: %v)\n%s", err, runErr, stderr.String())
	}
	if runErr != nil {
		return nil, fmt.Errorf("gosec: %v\n%s", runErr, stderr.String())
	}
	// A package gosec cannot type-check is not scanned: that is a failure,
	// not a clean result.
	for file, errs := range report.Errors {
		if len(errs) > 0 {
			return nil, fmt.Errorf("gosec could not load %s: line %d: %s", file, errs[0].Line, errs[0].Error)
		}
	}
	if report.Stats.Files == 0 {
		return nil, fmt.Errorf("gosec scanned no file in %s", dir)
	}
	var findings []Finding
	for _, is := range report.Issues {
		path := is.File
		if rel, err := filepath.Rel(dir, is.File); err == nil {
			path = filepath.ToSlash(rel)
		}
		first, _, _ := strings.Cut(is.Line, "-")
		line, _ := strconv.Atoi(first)
		findings = append(findings, Finding{Scanner: "gosec", ID: is.RuleID, Path: path, Line: line,
			Why: fmt.Sprintf("%s (CWE-%s, severity %s, confidence %s)", is.Details, is.CWE.ID, is.Severity, is.Confidence)})
	}
	return findings, nil
}
