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

// TrivyTarget is one thing `trivy config` checks: Dir holds the files as
// trivy reads them, Path names them in findings (e.g. the overlay a
// rendered manifest came from).
type TrivyTarget struct {
	Dir  string
	Path func(file string) string
}

// RunTrivyConfig runs trivy's misconfiguration checks of one kind
// (kubernetes, dockerfile) offline over dir, through our misconfig main
// (terraformcheck.Trivy), and returns the failed checks, named by check id,
// file (through path) and line.
func RunTrivyConfig(misconfig, kind, dir string, path func(file string) string) ([]Finding, error) {
	cmd := exec.Command(misconfig, "-type", kind, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("trivy's %s checks over %s: %v\n%s", kind, dir, err, stderr.String())
	}
	var report struct {
		Results []struct {
			Target            string
			Misconfigurations []struct {
				ID, Title, Message, Severity, Status string
				CauseMetadata                        struct{ StartLine int }
			}
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, fmt.Errorf("trivy's report: %v", err)
	}
	var findings []Finding
	for _, res := range report.Results {
		for _, m := range res.Misconfigurations {
			if m.Status != "FAIL" {
				continue
			}
			why := m.Title
			if m.Message != "" {
				why = m.Message
			}
			findings = append(findings, Finding{Scanner: "trivy", ID: m.ID, Path: path(res.Target), Line: m.CauseMetadata.StartLine,
				Why: fmt.Sprintf("%s (severity %s)", why, m.Severity)})
		}
	}
	return findings, nil
}

// RenderOverlays writes `kustomize build` of each overlay (directories
// relative to root) into out, one file per overlay named after its path
// with "/" as "__", and returns how to map a file back to its overlay.
func RenderOverlays(kustomize, root, out string, overlays []string) (func(string) string, error) {
	for _, o := range overlays {
		cmd := exec.Command(kustomize, "build", filepath.Join(root, filepath.FromSlash(o)))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		yaml, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("kustomize build %s: %v\n%s", o, err, stderr.String())
		}
		if err := os.WriteFile(filepath.Join(out, strings.ReplaceAll(o, "/", "__")+".yaml"), yaml, 0o600); err != nil {
			return nil, err
		}
	}
	return func(file string) string {
		return strings.ReplaceAll(strings.TrimSuffix(filepath.Base(file), ".yaml"), "__", "/") + "/"
	}, nil
}
