package manifestcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// Tool is a command pinned in tools/go.mod (a `tool` line and its require).
type Tool struct {
	Name    string // binary name
	Package string // main package
	Module  string // module whose version tools/go.mod pins
}

// The validation's tools.
var (
	Kustomize   = Tool{"kustomize", "sigs.k8s.io/kustomize/kustomize/v5", "sigs.k8s.io/kustomize/kustomize/v5"}
	Kubeconform = Tool{"kubeconform", "github.com/yannh/kubeconform/cmd/kubeconform", "github.com/yannh/kubeconform"}
	Conftest    = Tool{"conftest", "github.com/open-policy-agent/conftest", "github.com/open-policy-agent/conftest"}
)

// ToolVersion reads the version of t's module from tools/go.mod.
func (r Repo) ToolVersion(t Tool) (string, error) {
	data, err := os.ReadFile(r.Path("tools", "go.mod"))
	if err != nil {
		return "", err
	}
	re := regexp.MustCompile(`(?m)^[ \t]*(?:require[ \t]+)?` + regexp.QuoteMeta(t.Module) + `[ \t]+(v\S+)`)
	m := re.FindSubmatch(data)
	if m == nil {
		return "", fmt.Errorf("tools/go.mod does not require %s (add it: cd tools && go get -tool %s@VERSION)", t.Module, t.Package)
	}
	return string(m[1]), nil
}

var toolMu sync.Mutex

// EnsureTool returns the path of t's binary, building it from tools/go.mod
// into the cache the first time (<cache>/tools/<name>@<version>/<name>).
// A binary is moved into place only when complete, so concurrent test
// processes never run a half-written one.
func (r Repo) EnsureTool(t Tool) (string, error) {
	version, err := r.ToolVersion(t)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(r.Cache, "tools", t.Name+"@"+version)
	bin := filepath.Join(dir, t.Name)
	toolMu.Lock()
	defer toolMu.Unlock()
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := goCommand("build", "-modfile="+r.Path("tools", "go.mod"), "-trimpath", "-o", filepath.Join(tmp, t.Name), t.Package)
	cmd.Dir = r.Root
	if _, err := RunCommand(cmd); err != nil {
		return "", fmt.Errorf("building %s %s: %w", t.Name, version, err)
	}
	if err := os.Rename(filepath.Join(tmp, t.Name), bin); err != nil {
		return "", err
	}
	return bin, nil
}
