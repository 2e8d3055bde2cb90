package manifestcheck

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Components lists deploy/kubernetes/apps/components.
func (r Repo) Components() ([]string, error) {
	entries, err := os.ReadDir(r.Path("deploy", "kubernetes", "apps", "components"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Combination is a set of components applied to base.
type Combination []string

func (c Combination) String() string {
	if len(c) == 0 {
		return "base"
	}
	return "base+" + strings.Join(c, "+")
}

// AllCombinations returns every subset of components, the empty one first.
func AllCombinations(components []string) []Combination {
	var out []Combination
	for mask := 0; mask < 1<<len(components); mask++ {
		var c Combination
		for i, name := range components {
			if mask&(1<<i) != 0 {
				c = append(c, name)
			}
		}
		out = append(out, c)
	}
	return out
}

// CombinationResult is the outcome of building one combination.
type CombinationResult struct {
	Combination Combination
	YAML        []byte
	Err         error
}

// BuildCombinations builds base with each combination of components, on
// every CPU, through temporary kustomizations under the cache. Base is
// built once and each combination applies its components to that
// rendering: the components only add objects and patch them, so the
// result is what building from base gives (TestComponentCombinations
// compares one), at a fraction of the work.
func (tb *Toolbox) BuildCombinations(combos []Combination) ([]CombinationResult, error) {
	root, err := os.MkdirTemp(tb.Cache, "combinations-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	base, err := tb.renderedBase(filepath.Join(root, "base"))
	if err != nil {
		return nil, err
	}
	results := make([]CombinationResult, len(combos))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) + 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = tb.BuildCombination(filepath.Join(root, fmt.Sprint(i)), base, combos[i])
			}
		}()
	}
	for i := range combos {
		work <- i
	}
	close(work)
	wg.Wait()
	return results, nil
}

// BaseDir is the apps' base, which every combination starts from.
func (tb *Toolbox) BaseDir() string { return tb.Path("deploy", "kubernetes", "apps", "base") }

// renderedBase writes a kustomization in dir holding base as built once.
func (tb *Toolbox) renderedBase(dir string) (string, error) {
	y, err := tb.Build(tb.BaseDir())
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "base.yaml"), y, 0o644); err != nil {
		return "", err
	}
	k := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - base.yaml\n"
	return dir, os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(k), 0o644)
}

// BuildCombination builds the kustomization base (a directory) with the
// combination's components, through a kustomization written in dir.
func (tb *Toolbox) BuildCombination(dir, base string, c Combination) CombinationResult {
	res := CombinationResult{Combination: c}
	if res.Err = os.MkdirAll(dir, 0o755); res.Err != nil {
		return res
	}
	rel := func(path string) string {
		p, err := filepath.Rel(dir, path)
		if err != nil {
			panic(err)
		}
		return filepath.ToSlash(p)
	}
	var k strings.Builder
	k.WriteString("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - " + rel(base) + "\n")
	if len(c) > 0 {
		k.WriteString("components:\n")
		for _, name := range c {
			k.WriteString("  - " + rel(tb.Path("deploy", "kubernetes", "apps", "components", name)) + "\n")
		}
	}
	if res.Err = os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(k.String()), 0o644); res.Err != nil {
		return res
	}
	res.YAML, res.Err = tb.Build(dir)
	return res
}

// UniqueDocuments joins the distinct documents of several YAML streams into
// one stream: combinations share most objects, and kubeconform need check
// each distinct one only once.
func UniqueDocuments(streams [][]byte) []byte {
	seen := map[[32]byte]bool{}
	var out bytes.Buffer
	for _, s := range streams {
		for _, doc := range bytes.Split(s, []byte("\n---\n")) {
			doc = bytes.TrimSpace(bytes.TrimPrefix(doc, []byte("---\n")))
			if len(doc) == 0 {
				continue
			}
			sum := sha256.Sum256(doc)
			if seen[sum] {
				continue
			}
			seen[sum] = true
			out.WriteString("---\n")
			out.Write(doc)
			out.WriteString("\n")
		}
	}
	return out.Bytes()
}

// keyedDirs are the directories whose files decide a combinations run:
// the manifests, and the checker's own code (a change to how it validates
// must re-run it, not replay an old pass).
var keyedDirs = []string{
	"deploy/kubernetes/apps/base", "deploy/kubernetes/apps/components",
	"internal/manifestcheck", "test/manifests",
}

// InputsKey hashes everything a build of base with components depends on:
// every file under keyedDirs, the kustomize and kubeconform versions, and
// the schemas. Equal keys give equal results, so a passing run is recorded
// under its key and not repeated.
func (tb *Toolbox) InputsKey() (string, error) {
	var header strings.Builder
	for _, t := range []Tool{Kustomize, Kubeconform} {
		v, err := tb.ToolVersion(t)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&header, "%s %s\n", t.Name, v)
	}
	fmt.Fprintf(&header, "schemas %s\n", schemaKey())
	return filesKey(tb.Root, header.String(), keyedDirs)
}

// filesKey hashes header and every file below the given directories of
// root, names and contents; a missing directory is an error, so a moved
// input cannot silently drop out of the key.
func filesKey(root, header string, dirs []string) (string, error) {
	h := sha256.New()
	h.Write([]byte(header))
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, filepath.FromSlash(dir)), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(data))
			h.Write(data)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:16], nil
}
