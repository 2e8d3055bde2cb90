package scan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
)

// govulncheckFrame is one frame of a govulncheck trace (its JSON protocol).
type govulncheckFrame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
	Receiver string `json:"receiver"`
	Position *struct {
		Filename string `json:"filename"`
		Line     int    `json:"line"`
	} `json:"position"`
}

// RunGovulncheck runs govulncheck over the module in dir (patterns, e.g.
// ./...) against the local database db and returns one finding per
// vulnerability whose symbol the code calls; an imported but uncalled
// vulnerable module is no finding, as in govulncheck's own text output.
func RunGovulncheck(govulncheck, db, dir string, patterns ...string) ([]Finding, error) {
	cmd := exec.Command(govulncheck, append([]string{"-db", "file://" + db, "-format", "json", "-C", dir}, patterns...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	summaries := map[string]string{}
	called := map[string]Finding{}
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
		if f == nil || len(f.Trace) == 0 || f.Trace[0].Function == "" {
			continue // module or package level: present, not called
		}
		if _, seen := called[f.OSV]; seen {
			continue
		}
		vuln := f.Trace[0]
		why := "calls " + symbol(vuln)
		if caller := f.Trace[len(f.Trace)-1]; caller.Position != nil {
			why += fmt.Sprintf(" (from %s:%d)", caller.Position.Filename, caller.Position.Line)
		}
		if f.FixedVersion != "" {
			why += "; fixed in " + f.FixedVersion
		} else {
			why += "; no fixed version"
		}
		called[f.OSV] = Finding{Scanner: "govulncheck", ID: f.OSV, Path: vuln.Module, Why: vuln.Module + "@" + vuln.Version + " " + why}
	}
	if runErr != nil && len(called) == 0 {
		return nil, fmt.Errorf("govulncheck: %v\n%s", runErr, stderr.String())
	}
	findings := make([]Finding, 0, len(called))
	for id, f := range called {
		if s := summaries[id]; s != "" {
			f.Why = s + ": " + f.Why
		}
		findings = append(findings, f)
	}
	sort.Slice(findings, func(i, j int) bool { return findings[i].ID < findings[j].ID })
	return findings, nil
}

func symbol(f *govulncheckFrame) string {
	name := f.Function
	if f.Receiver != "" {
		name = strings.TrimPrefix(f.Receiver, "*") + "." + name
	}
	return f.Package + "." + name
}
