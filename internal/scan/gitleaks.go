package scan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// GitHistory says how much history a gitleaks run saw.
type GitHistory struct {
	Commits int
	Shallow bool // a shallow clone: older commits were not scanned
}

func (h GitHistory) String() string {
	if h.Shallow {
		return fmt.Sprintf("%d commits, SHALLOW clone (older history not scanned)", h.Commits)
	}
	return fmt.Sprintf("%d commits", h.Commits)
}

// RunGitleaks scans every commit reachable in the git repository at repo
// with gitleaks' built-in rules. Inline gitleaks:allow comments and
// .gitleaksignore files are ignored: the accepted findings file is the one
// place for exceptions. Secrets are redacted from the report.
func RunGitleaks(gitleaks, repo string) ([]Finding, GitHistory, error) {
	hist, err := gitHistory(repo)
	if err != nil {
		return nil, hist, err
	}
	tmp, err := os.MkdirTemp("", "gitleaks-")
	if err != nil {
		return nil, hist, err
	}
	defer os.RemoveAll(tmp)
	report := filepath.Join(tmp, "report.json")
	cmd := exec.Command(gitleaks, "git", "--no-banner", "--redact", "--exit-code", "0", "--log-level", "error",
		"--ignore-gitleaks-allow", "--gitleaks-ignore-path", tmp, "--log-opts", "--all",
		"--report-format", "json", "--report-path", report, repo)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, hist, fmt.Errorf("gitleaks: %v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(report)
	if err != nil {
		return nil, hist, err
	}
	var leaks []struct {
		RuleID      string `json:"RuleID"`
		Description string `json:"Description"`
		File        string `json:"File"`
		StartLine   int    `json:"StartLine"`
		Commit      string `json:"Commit"`
	}
	if err := json.Unmarshal(data, &leaks); err != nil {
		return nil, hist, fmt.Errorf("gitleaks' report: %v", err)
	}
	var findings []Finding
	for _, l := range leaks {
		findings = append(findings, Finding{Scanner: "gitleaks", ID: l.RuleID, Path: l.File, Line: l.StartLine,
			Commit: shortCommit(l.Commit), Why: l.Description})
	}
	return findings, hist, nil
}

func gitHistory(repo string) (GitHistory, error) {
	var h GitHistory
	count, err := gitOutput(repo, "rev-list", "--all", "--count")
	if err != nil {
		return h, err
	}
	if _, err := fmt.Sscan(count, &h.Commits); err != nil {
		return h, fmt.Errorf("git rev-list --count: %q", count)
	}
	shallow, err := gitOutput(repo, "rev-parse", "--is-shallow-repository")
	h.Shallow = shallow == "true"
	return h, err
}

func gitOutput(repo string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
