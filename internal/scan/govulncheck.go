package scan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
)

// govulncheckFrame is one frame of a govulncheck trace (its JSON protocol);
// at package level only the first, the vulnerable module and package.
type govulncheckFrame struct {
	Module  string `json:"module"`
	Version string `json:"version"`
	Package string `json:"package"`
}

// RunGovulncheck runs govulncheck over the module in dir (patterns, e.g.
// ./...) against the local database db at package level and returns one
// finding per vulnerability in a package the code imports, called or not;
// a vulnerable module whose affected packages are not imported is no
// finding. Package level is a superset of govulncheck's default (symbol
// level: the vulnerable function is reachable) and needs no type-checked
// source of every dependency, which on a new machine cost minutes of CI;
// before accepting a finding, `govulncheck ./...` says whether it is called.
func RunGovulncheck(govulncheck, db, dir string, patterns ...string) ([]Finding, error) {
	args := []string{"-db", "file://" + db, "-scan", "package", "-format", "json", "-C", dir}
	cmd := exec.Command(govulncheck, append(args, patterns...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	summaries := map[string]string{}
	imported := map[string]Finding{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var msg struct {
			OSV *struct {
				ID      string `json:"id"`
				Summary string `json:"summary"`
			} `json:"osv"`
			Finding *struct {
				OSV          string              `json:"osv"`
				FixedVersion string              `json:"fixed_version"`
				Trace        []*govulncheckFrame `json:"trace"`
			} `json:"finding"`
		}
		err := dec.Decode(&msg)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("govulncheck's report: %v (exit: %v)\n%s", err, runErr, stderr.String())
		}
		if msg.OSV != nil {
			summaries[msg.OSV.ID] = msg.OSV.Summary
		}
		f := msg.Finding
		if f == nil || len(f.Trace) == 0 || f.Trace[0].Package == "" {
			continue // module level: required, but no affected package imported
		}
		if _, seen := imported[f.OSV]; seen {
			continue
		}
		vuln := f.Trace[0]
		why := vuln.Module + "@" + vuln.Version + " imported: " + vuln.Package
		if f.FixedVersion != "" {
			why += "; fixed in " + f.FixedVersion
		} else {
			why += "; no fixed version"
		}
		imported[f.OSV] = Finding{Scanner: "govulncheck", ID: f.OSV, Path: vuln.Module, Why: why}
	}
	if runErr != nil && len(imported) == 0 {
		return nil, fmt.Errorf("govulncheck: %v\n%s", runErr, stderr.String())
	}
	findings := make([]Finding, 0, len(imported))
	for id, f := range imported {
		if s := summaries[id]; s != "" {
			f.Why = s + ": " + f.Why
		}
		findings = append(findings, f)
	}
	sort.Slice(findings, func(i, j int) bool { return findings[i].ID < findings[j].ID })
	return findings, nil
}
