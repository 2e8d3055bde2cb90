package manifestcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// PolicyDir holds the Rego policies, relative to the repository root.
const PolicyDir = "deploy/policies/kubernetes"

// PolicyFailure is one denial: the policy's package and its message, which
// names the object.
type PolicyFailure struct {
	Namespace, Msg string
}

// Policies runs every policy over the YAML stream in combine mode (one
// input holding every document, so policies can relate objects)
// and returns the failures sorted by message.
func (tb *Toolbox) Policies(yaml []byte) ([]PolicyFailure, error) {
	tmp, err := os.CreateTemp("", "manifests-*.yaml")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(yaml); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	return tb.PolicyFile(tmp.Name())
}

// PolicyFile is Policies for a file.
func (tb *Toolbox) PolicyFile(file string) ([]PolicyFailure, error) {
	return RunPolicies(tb.regocheck, []string{"--policy", filepath.Join(tb.Root, filepath.FromSlash(PolicyDir))}, file)
}

// RunPolicies runs regocheck (conftest's `test --combine --all-namespaces
// --output json`) over files with args (the policy and data locations) and
// returns the failures and exceptions sorted by message; warnings are not
// failures.
func RunPolicies(regocheck string, args []string, files ...string) ([]PolicyFailure, error) {
	cmd := exec.Command(regocheck, append(args, files...)...)
	out, runErr := cmd.Output() // exit status 1 means failures, reported in the JSON
	var results []struct {
		Namespace string `json:"namespace"`
		Failures  []struct {
			Msg string `json:"msg"`
		} `json:"failures"`
		Exceptions []struct {
			Msg string `json:"msg"`
		} `json:"exceptions"`
	}
	if err := json.Unmarshal(out, &results); err != nil {
		stderr := ""
		if exit, ok := runErr.(*exec.ExitError); ok {
			stderr = string(exit.Stderr)
		}
		return nil, fmt.Errorf("regocheck: %v: %v\n%s%s", runErr, err, out, stderr)
	}
	var failures []PolicyFailure
	for _, r := range results {
		for _, f := range r.Failures {
			failures = append(failures, PolicyFailure{r.Namespace, f.Msg})
		}
		for _, e := range r.Exceptions {
			failures = append(failures, PolicyFailure{r.Namespace, "exception: " + e.Msg})
		}
	}
	sort.Slice(failures, func(i, j int) bool { return failures[i].Msg < failures[j].Msg })
	return failures, nil
}

// FixtureExpectations reads a policy fixture's "# expect: <message>" lines,
// the exact failures it must produce, sorted.
func FixtureExpectations(file string) ([]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var want []string
	for line := range strings.Lines(string(data)) {
		if msg, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "# expect: "); ok {
			want = append(want, msg)
		}
	}
	slices.Sort(want)
	return want, nil
}

// Problems runs the policies and the strict schema validation over yaml and
// returns each policy failure and schema finding as one message.
func (tb *Toolbox) Problems(yaml []byte) ([]string, error) {
	failures, err := tb.Policies(yaml)
	if err != nil {
		return nil, err
	}
	findings, err := tb.Validate(yaml)
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, f := range failures {
		problems = append(problems, "policy "+f.Namespace+": "+f.Msg)
	}
	for _, f := range findings {
		problems = append(problems, "kubeconform: "+f.String())
	}
	return problems, nil
}
