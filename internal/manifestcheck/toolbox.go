package manifestcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Toolbox holds the built tools and the schema directory.
type Toolbox struct {
	Repo
	kustomize, kubeconform, regocheck string
	schemas                           string
}

// NewToolbox builds (or finds cached) the pinned tools and the schemas.
func NewToolbox(r Repo) (*Toolbox, error) {
	tb := &Toolbox{Repo: r}
	var err error
	for _, t := range []struct {
		tool Tool
		path *string
	}{{Kustomize, &tb.kustomize}, {Kubeconform, &tb.kubeconform}, {Regocheck, &tb.regocheck}} {
		if *t.path, err = r.EnsureTool(t.tool); err != nil {
			return nil, err
		}
	}
	if tb.schemas, err = r.EnsureSchemas(); err != nil {
		return nil, err
	}
	return tb, nil
}

// Build runs `kustomize build dir` and returns the YAML stream.
func (tb *Toolbox) Build(dir string) ([]byte, error) {
	return RunCommand(tb.kustomizeCommand("", "build", dir))
}

// Kustomize runs kustomize with args in dir (e.g. edit set image).
func (tb *Toolbox) Kustomize(dir string, args ...string) error {
	_, err := RunCommand(tb.kustomizeCommand(dir, args...))
	return err
}

// kustomizeCommand runs kustomize without garbage collection on one
// thread: a build lives a fraction of a second and stays under about
// 100 MiB, and this halves its CPU time (the component combinations run
// hundreds of builds side by side).
func (tb *Toolbox) kustomizeCommand(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(tb.kustomize, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOGC=off", "GOMAXPROCS=1")
	return cmd
}

// SchemaFinding is one object kubeconform refused.
type SchemaFinding struct {
	Object string // Kind/name as kubeconform reports it
	Status string // invalid or error
	Msg    string
}

func (f SchemaFinding) String() string { return f.Object + ": " + f.Status + ": " + f.Msg }

// Validate runs kubeconform in strict mode against the generated schemas
// only (never a remote location) and returns what it refused; a missing
// schema is a finding, not a skip.
func (tb *Toolbox) Validate(yaml []byte) ([]SchemaFinding, error) {
	args := []string{"-strict", "-summary", "-output", "json", "-kubernetes-version", KubernetesVersion}
	for _, loc := range SchemaLocations(tb.schemas) {
		args = append(args, "-schema-location", loc)
	}
	cmd := exec.Command(tb.kubeconform, append(args, "-")...)
	cmd.Stdin = bytes.NewReader(yaml)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var report struct {
		Resources []struct {
			Kind, Name, Status, Msg string
		} `json:"resources"`
		Summary struct{ Valid, Invalid, Errors, Skipped int } `json:"summary"`
	}
	if jsonErr := json.Unmarshal(stdout.Bytes(), &report); jsonErr != nil {
		return nil, fmt.Errorf("kubeconform: %v (%v)\n%s%s", err, jsonErr, stdout.String(), stderr.String())
	}
	var findings []SchemaFinding
	for _, r := range report.Resources {
		if r.Status == "statusValid" {
			continue
		}
		findings = append(findings, SchemaFinding{Object: r.Kind + "/" + r.Name,
			Status: strings.TrimPrefix(r.Status, "status"), Msg: r.Msg})
	}
	if report.Summary.Valid == 0 && len(findings) == 0 {
		return nil, fmt.Errorf("kubeconform validated nothing\n%s", stderr.String())
	}
	return findings, nil
}
