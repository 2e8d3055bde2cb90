package manifestcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Tool is a command pinned in tools/go.mod, or in a module file of its own
// under tools/ when its dependencies cannot build beside the others' (a
// `tool` line and its require). One module file for nearly every tool is
// deliberate: the go command picks one version of each shared dependency,
// so the packages the tools have in common compile once (docs/adr/0026).
type Tool struct {
	Name    string   // binary name
	Package string   // main package; "./x" is a main of our own below the module file's directory (built there)
	Module  string   // module whose version the module file pins
	ModFile string   // the module file, slash-separated from the repository root; "" is tools/go.mod
	Env     []string // extra build environment (e.g. GOEXPERIMENT); GOTOOLCHAIN is the module file's toolchain line
	Tags    []string // build tags; part of the cache key
}

func (t Tool) local() bool { return strings.HasPrefix(t.Package, "./") }

// sourceDigest is a short digest of the .go files of dir.
func sourceDigest(dir string) (string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no Go source in %s", dir)
	}
	return filesDigest(files)
}

// moduleDigest is a short digest of a module file and its go.sum (when it
// has one): one version of the tool's own module can be built against
// different versions of its dependencies when the file's other tools move
// them, and the cached binary must follow.
func moduleDigest(modFile string) (string, error) {
	files := []string{modFile}
	if sum := strings.TrimSuffix(modFile, ".mod") + ".sum"; fileExists(sum) {
		files = append(files, sum)
	}
	return filesDigest(files)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// filesDigest is a short digest of the files' names and contents.
func filesDigest(files []string) (string, error) {
	h := sha256.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func (t Tool) modFile() string {
	if t.ModFile == "" {
		return "tools/go.mod"
	}
	return t.ModFile
}

// The validation's tools.
var (
	Kustomize   = Tool{Name: "kustomize", Package: "sigs.k8s.io/kustomize/kustomize/v5", Module: "sigs.k8s.io/kustomize/kustomize/v5"}
	Kubeconform = Tool{Name: "kubeconform", Package: "github.com/yannh/kubeconform/cmd/kubeconform", Module: "github.com/yannh/kubeconform"}
	// kube-score reads Kubernetes API versions (autoscaling/v2beta1) that
	// the k8s.io/api the other tools need no longer has: a module of its own.
	KubeScore = Tool{Name: "kube-score", Package: "github.com/zegl/kube-score/cmd/kube-score", Module: "github.com/zegl/kube-score", ModFile: "tools/kube-score/go.mod"}
	// Regocheck evaluates the Rego policies as `conftest test --combine`
	// does: our own small main (tools/iac/regocheck), sharing OPA with
	// misconfig (conftest's command compiled about 690 packages nothing
	// else here does; docs/adr/0025).
	Regocheck = Tool{Name: "regocheck", Package: "./iac/regocheck", Module: "github.com/open-policy-agent/opa"}
	// Promtool checks and unit-tests alert rules; Amtool checks
	// Alertmanager's configuration and tests its routes.
	// remove_all_sd leaves out the cloud service discoveries (their SDKs
	// are most of a cold build); rule tests need none of them.
	Promtool = Tool{Name: "promtool", Package: "github.com/prometheus/prometheus/cmd/promtool", Module: "github.com/prometheus/prometheus", Tags: []string{"remove_all_sd"}}
	Amtool   = Tool{Name: "amtool", Package: "github.com/prometheus/alertmanager/cmd/amtool", Module: "github.com/prometheus/alertmanager"}
)

// ToolVersion reads the version of t's module from its module file.
func (r Repo) ToolVersion(t Tool) (string, error) {
	data, err := os.ReadFile(r.Path(strings.Split(t.modFile(), "/")...))
	if err != nil {
		return "", err
	}
	re := regexp.MustCompile(`(?m)^[ \t]*(?:require[ \t]+)?` + regexp.QuoteMeta(t.Module) + `[ \t]+(v\S+)`)
	m := re.FindSubmatch(data)
	if m == nil {
		return "", fmt.Errorf("%s does not require %s (add it: cd %s && go get -tool %s@VERSION)", t.modFile(), t.Module, path.Dir(t.modFile()), t.Package)
	}
	return string(m[1]), nil
}

var toolchainLine = regexp.MustCompile(`(?m)^toolchain[ \t]+(go\S+)`)

// toolToolchain is the toolchain line of t's module file, "" without one.
func (r Repo) toolToolchain(t Tool) (string, error) {
	data, err := os.ReadFile(r.Path(strings.Split(t.modFile(), "/")...))
	if err != nil {
		return "", err
	}
	if m := toolchainLine.FindSubmatch(data); m != nil {
		return string(m[1]), nil
	}
	return "", nil
}

var toolMu sync.Mutex

// EnsureTool returns the path of t's binary, building it from its module
// file into the cache the first time
// (<cache>/tools/<name>@<version>+<module file digest>/<name>).
// A binary is moved into place only when complete, so concurrent test
// processes never run a half-written one.
func (r Repo) EnsureTool(t Tool) (string, error) {
	version, err := r.ToolVersion(t)
	if err != nil {
		return "", err
	}
	key := t.Name + "@" + version
	if len(t.Tags) > 0 {
		key += "+" + strings.Join(t.Tags, "+")
	}
	modFile := r.Path(strings.Split(t.modFile(), "/")...)
	modDigest, err := moduleDigest(modFile)
	if err != nil {
		return "", err
	}
	key += "+" + modDigest
	modDir := filepath.Dir(modFile)
	if t.local() {
		// Our own main: its source is part of the key, so an edit rebuilds.
		digest, err := sourceDigest(filepath.Join(modDir, t.Package))
		if err != nil {
			return "", err
		}
		key += "+" + digest
	}
	dir := filepath.Join(r.Cache, "tools", key)
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
	// Default build flags, as `go tool` builds tools/go.mod's tools (buf,
	// kustomize) and as gosec's `go list` loads the tool mains' modules: the
	// same flags share one compile of each dependency (with -trimpath here,
	// a new machine compiled every shared dependency twice).
	args := []string{"build", "-modfile=" + modFile}
	if t.local() {
		// A package of the module file's own directory: built there, where
		// that file is the module's go.mod.
		args = []string{"build"}
	}
	if len(t.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(t.Tags, ","))
	}
	cmd := goCommand(append(args, "-o", filepath.Join(tmp, t.Name), t.Package)...)
	cmd.Dir = r.Root
	if t.local() {
		cmd.Dir = modDir
	}
	cmd.Env = append(os.Environ(), t.Env...)
	// The module file's toolchain line is the Go the tool builds with (trivy
	// needs an older one than the project's).
	if toolchain, err := r.toolToolchain(t); err != nil {
		return "", err
	} else if toolchain != "" {
		cmd.Env = append(cmd.Env, "GOTOOLCHAIN="+toolchain)
	}
	if _, err := RunCommand(cmd); err != nil {
		return "", fmt.Errorf("building %s %s: %w", t.Name, version, err)
	}
	if err := os.Rename(filepath.Join(tmp, t.Name), bin); err != nil {
		return "", err
	}
	return bin, nil
}
