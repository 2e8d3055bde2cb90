package manifestcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// KubernetesVersion is the API the manifests are validated against.
const KubernetesVersion = "1.37.2"

// schemaGeneratorRevision changes whenever schemagen.go changes what it
// writes, so that cached schemas from an older generator are not reused.
const schemaGeneratorRevision = 2

// ModuleFiles are files inside a Go module zip, read from the module cache
// after `go mod download` (the proxy is the only source these machines have).
type ModuleFiles struct {
	Module, Version string
	Files           []string
}

// KubernetesOpenAPI is the OpenAPI v2 document of KubernetesVersion.
var KubernetesOpenAPI = ModuleFiles{"k8s.io/kubernetes", "v" + KubernetesVersion,
	[]string{"api/openapi-spec/swagger.json"}}

// CRDSources are the CustomResourceDefinitions of every custom kind the
// manifests use (TOOLCHAIN.md lists where each one is found).
var CRDSources = []ModuleFiles{
	{"github.com/prometheus-operator/prometheus-operator", "v0.85.0", []string{
		"example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml",
		"example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml",
		"example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml",
		"example/prometheus-operator-crd/monitoring.coreos.com_probes.yaml",
	}},
	{"k8s.io/autoscaler/vertical-pod-autoscaler", "v1.8.1", []string{
		"deploy/vpa-v1-crd-gen.yaml",
	}},
	{"github.com/kubernetes-csi/external-snapshotter/client/v8", "v8.7.0", []string{
		"config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml",
		"config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml",
		"config/crd/snapshot.storage.k8s.io_volumesnapshotcontents.yaml",
	}},
	{"github.com/argoproj/argo-rollouts", "v1.10.1", []string{
		"manifests/crds/rollout-crd.yaml",
		"manifests/crds/analysis-template-crd.yaml",
	}},
	{"github.com/fluxcd/source-controller", "v1.9.6", []string{
		"config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml",
	}},
	{"github.com/fluxcd/kustomize-controller", "v1.9.6", []string{
		"config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml",
	}},
	{"github.com/sigstore/policy-controller", "v0.13.1", []string{
		"config/300-clusterimagepolicy.yaml",
	}},
	{"github.com/external-secrets/external-secrets", "v1.3.2", []string{
		"config/crds/bases/external-secrets.io_externalsecrets.yaml",
		"config/crds/bases/external-secrets.io_secretstores.yaml",
		"config/crds/bases/external-secrets.io_clustersecretstores.yaml",
	}},
}

// SchemaLocations are kubeconform's -schema-location templates for a schema
// directory made by EnsureSchemas.
func SchemaLocations(dir string) []string {
	return []string{
		filepath.Join(dir, "k8s") + "/{{ .ResourceKind }}{{ .KindSuffix }}.json",
		filepath.Join(dir, "crds") + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json",
	}
}

// schemaKey names a schema directory after everything its content depends on.
func schemaKey() string {
	h := sha256.New()
	fmt.Fprintf(h, "generator %d\n", schemaGeneratorRevision)
	for _, src := range append([]ModuleFiles{KubernetesOpenAPI}, CRDSources...) {
		fmt.Fprintf(h, "%s@%s %s\n", src.Module, src.Version, strings.Join(src.Files, " "))
	}
	return "k8s-v" + KubernetesVersion + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

var schemaMu sync.Mutex

// EnsureSchemas returns the directory of generated schemas, generating it
// into the cache the first time (a few seconds; the module downloads are
// cached by the go command).
func (r Repo) EnsureSchemas() (string, error) {
	dir := filepath.Join(r.Cache, "schemas", schemaKey())
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "gen-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := generateSchemas(tmp); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, "complete"), []byte(schemaKey()+"\n"), 0o644); err != nil {
		return "", err
	}
	os.RemoveAll(dir) // an incomplete leftover
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "complete")); statErr == nil {
			return dir, nil // another process finished first
		}
		return "", err
	}
	return dir, nil
}

func generateSchemas(dir string) error {
	k8sDir, err := moduleDir(KubernetesOpenAPI)
	if err != nil {
		return err
	}
	swagger, err := os.ReadFile(filepath.Join(k8sDir, KubernetesOpenAPI.Files[0]))
	if err != nil {
		return err
	}
	schemas, err := K8sSchemas(swagger)
	if err != nil {
		return err
	}
	if err := writeSchemas(filepath.Join(dir, "k8s"), schemas); err != nil {
		return err
	}
	for _, src := range CRDSources {
		modDir, err := moduleDir(src)
		if err != nil {
			return err
		}
		for _, f := range src.Files {
			data, err := os.ReadFile(filepath.Join(modDir, filepath.FromSlash(f)))
			if err != nil {
				return fmt.Errorf("%s@%s: %w", src.Module, src.Version, err)
			}
			schemas, err := CRDSchemas(data)
			if err != nil {
				return fmt.Errorf("%s@%s %s: %w", src.Module, src.Version, f, err)
			}
			if len(schemas) == 0 {
				return fmt.Errorf("%s@%s %s: no CustomResourceDefinition with a schema", src.Module, src.Version, f)
			}
			if err := writeSchemas(filepath.Join(dir, "crds"), schemas); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeSchemas(dir string, schemas map[string][]byte) error {
	names := make([]string, 0, len(schemas))
	for name := range schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, schemas[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// moduleDir downloads a module version into the module cache (a no-op when
// it is there) and returns its directory. It runs outside the repository so
// that no go.mod or go.sum is touched.
func moduleDir(m ModuleFiles) (string, error) {
	cmd := goCommand("mod", "download", "-json", m.Module+"@"+m.Version)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=on")
	out, err := RunCommand(cmd)
	var info struct{ Dir, Error string }
	if jsonErr := json.Unmarshal(out, &info); jsonErr == nil && info.Error != "" {
		return "", fmt.Errorf("%s@%s: %s", m.Module, m.Version, info.Error)
	}
	if err != nil {
		return "", err
	}
	if info.Dir == "" {
		return "", fmt.Errorf("%s@%s: go mod download reported no directory", m.Module, m.Version)
	}
	return info.Dir, nil
}

// ModuleDir downloads one module version into the module cache (a no-op
// when it is there) and returns its directory, for tests that read an
// upstream's own source.
func ModuleDir(module, version string) (string, error) {
	return moduleDir(ModuleFiles{Module: module, Version: version})
}
