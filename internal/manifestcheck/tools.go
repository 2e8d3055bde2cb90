package manifestcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// Tool is a command pinned in a go.mod under tools/ (a `tool` line and its
// require).
type Tool struct {
	Name    string // binary name
	Package string // main package
	Module  string // module whose version the go.mod pins
	// ModFile is that go.mod, relative to tools/; "" is tools/go.mod.
	// Tools with a large dependency graph of their own (Prometheus's) get
	// a module of their own, so that they never move the versions the
	// other tools build with.
	ModFile string
}

// The validation's tools.
var (
	Kustomize   = Tool{Name: "kustomize", Package: "sigs.k8s.io/kustomize/kustomize/v5", Module: "sigs.k8s.io/kustomize/kustomize/v5"}
	Kubeconform = Tool{Name: "kubeconform", Package: "github.com/yannh/kubeconform/cmd/kubeconform", Module: "github.com/yannh/kubeconform"}
	Conftest    = Tool{Name: "conftest", Package: "github.com/open-policy-agent/conftest", Module: "github.com/open-policy-agent/conftest"}
	KubeScore   = Tool{Name: "kube-score", Package: "github.com/zegl/kube-score/cmd/kube-score", Module: "github.com/zegl/kube-score"}
	// Promtool checks and unit-tests alert rules; Amtool checks
	// Alertmanager's configuration and tests its routes.
	Promtool = Tool{Name: "promtool", Package: "github.com/prometheus/prometheus/cmd/promtool", Module: "github.com/prometheus/prometheus", ModFile: "prometheus/go.mod"}
	Amtool   = Tool{Name: "amtool", Package: "github.com/prometheus/alertmanager/cmd/amtool", Module: "github.com/prometheus/alertmanager", ModFile: "prometheus/go.mod"}
)

// modFile is the path of t's go.mod.
func (r Repo) modFile(t Tool) string {
	if t.ModFile == "" {
		return r.Path("tools", "go.mod")
	}
	return r.Path("tools", t.ModFile)
}

// ToolVersion reads the version of t's module from its go.mod.
func (r Repo) ToolVersion(t Tool) (string, error) {
	data, err := os.ReadFile(r.modFile(t))
	if err != nil {
		return "", err
	}
	re := regexp.MustCompile(`(?m)^[ \t]*(?:require[ \t]+)?` + regexp.QuoteMeta(t.Module) + `[ \t]+(v\S+)`)
	m := re.FindSubmatch(data)
	if m == nil {
		return "", fmt.Errorf("%s does not require %s (add it: go get -modfile=%[1]s -tool %s@VERSION)", r.modFile(t), t.Module, t.Package)
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
	cmd := goCommand("build", "-modfile="+r.modFile(t), "-trimpath", "-o", filepath.Join(tmp, t.Name), t.Package)
	cmd.Dir = r.Root
	if _, err := RunCommand(cmd); err != nil {
		return "", fmt.Errorf("building %s %s: %w", t.Name, version, err)
	}
	if err := os.Rename(filepath.Join(tmp, t.Name), bin); err != nil {
		return "", err
	}
	return bin, nil
}
