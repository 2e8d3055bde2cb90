package scan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
)

// RunActionlint lints the GitHub workflow files (paths relative to dir)
// offline: actionlint's syntax, expression, action-input and shellcheck
// checks of run: scripts (shellcheck from PATH, as `make lint` installs).
func RunActionlint(actionlint, dir string, files ...string) ([]Finding, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("actionlint: no workflow files in %s", dir)
	}
	cmd := exec.Command(actionlint, append([]string{"-no-color", "-format", "{{json .}}"}, files...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var errs []struct {
		Message  string `json:"message"`
		Filepath string `json:"filepath"`
		Line     int    `json:"line"`
		Kind     string `json:"kind"`
	}
	if err := json.Unmarshal(out, &errs); err != nil {
		return nil, fmt.Errorf("actionlint's report: %v (exit: %v)\n%s%s", err, runErr, out, stderr.String())
	}
	// Exit status 1 means "errors found", which the report lists; anything
	// else (2 bad usage, 3 fatal) is the tool failing.
	if exit, ok := runErr.(*exec.ExitError); runErr != nil && (!ok || exit.ExitCode() != 1) {
		return nil, fmt.Errorf("actionlint: %v\n%s", runErr, stderr.String())
	}
	var findings []Finding
	for _, e := range errs {
		findings = append(findings, Finding{Scanner: "actionlint", ID: e.Kind, Path: filepath.ToSlash(e.Filepath), Line: e.Line, Why: e.Message})
	}
	return findings, nil
}

// WorkflowFiles lists .github/workflows/*.yml and *.yaml under dir,
// relative to it.
func WorkflowFiles(dir string) ([]string, error) {
	var files []string
	for _, pattern := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(dir, ".github", "workflows", pattern))
		if err != nil {
			return nil, err
		}
		for _, f := range m {
			rel, err := filepath.Rel(dir, f)
			if err != nil {
				return nil, err
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	return files, nil
}
