package manifests_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// Overlays are the environments' apps, deploy/kubernetes/apps/<env>.
var Overlays = []string{"development", "staging", "production"}

// overlayDir is where an overlay is: an environment's apps, or
// "test-cluster", the development apps as make test-cluster deploys them.
func overlayDir(tb *manifestcheck.Toolbox, overlay string) string {
	if overlay == "test-cluster" {
		return tb.Path("test", "cluster", "overlay")
	}
	return tb.Path("deploy", "kubernetes", "apps", overlay)
}

// infrastructureDir is the cluster-wide objects an overlay's cluster gets
// first: deploy/kubernetes/infrastructure/<env> (none for development), or
// the test cluster's share of them.
func infrastructureDir(tb *manifestcheck.Toolbox, overlay string) string {
	switch overlay {
	case "development":
		return ""
	case "test-cluster":
		return tb.Path("test", "cluster", "infrastructure")
	}
	return tb.Path("deploy", "kubernetes", "infrastructure", overlay)
}

var (
	boxOnce sync.Once
	boxVal  *manifestcheck.Toolbox
	boxErr  error
)

// box returns the toolbox, building tools and schemas on first use, and
// makes sure the development secrets exist (the development overlay
// cannot be built without them).
func box(t testing.TB) *manifestcheck.Toolbox {
	t.Helper()
	boxOnce.Do(func() {
		r, err := manifestcheck.FindRepo(".")
		if err != nil {
			boxErr = err
			return
		}
		if _, err := manifestcheck.RunCommand(exec.Command("sh", r.Path("scripts", "dev-secrets.sh"))); err != nil {
			boxErr = err
			return
		}
		boxVal, boxErr = manifestcheck.NewToolbox(r)
	})
	if boxErr != nil {
		t.Fatal(boxErr)
	}
	return boxVal
}

type rendered struct {
	yaml []byte
	objs []manifestcheck.Object
}

var (
	rendersMu sync.Mutex
	renders   = map[string]func() (rendered, error){}
)

// render builds an overlay's apps (by name, see overlayDir) once per test
// process.
func render(t testing.TB, overlay string) ([]byte, []manifestcheck.Object) {
	t.Helper()
	tb := box(t)
	return renderDir(t, overlayDir(tb, overlay))
}

// renderInfrastructure builds an overlay's infrastructure (nothing for
// development) once per test process.
func renderInfrastructure(t testing.TB, overlay string) ([]byte, []manifestcheck.Object) {
	t.Helper()
	dir := infrastructureDir(box(t), overlay)
	if dir == "" {
		return nil, nil
	}
	return renderDir(t, dir)
}

func renderDir(t testing.TB, dir string) ([]byte, []manifestcheck.Object) {
	t.Helper()
	tb := box(t)
	rendersMu.Lock()
	f, ok := renders[dir]
	if !ok {
		f = sync.OnceValues(func() (rendered, error) {
			y, err := tb.Build(dir)
			if err != nil {
				return rendered{}, err
			}
			objs, err := manifestcheck.Decode(y)
			return rendered{y, objs}, err
		})
		renders[dir] = f
	}
	rendersMu.Unlock()
	r, err := f()
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return r.yaml, r.objs
}

// renderComposed renders the directories resources with the Kustomize
// components given, as a kustomization naming them would (an add-on with
// a cluster's or an environment's component).
func renderComposed(t testing.TB, resources []string, components ...string) ([]byte, []manifestcheck.Object) {
	t.Helper()
	dir := t.TempDir()
	var k strings.Builder
	k.WriteString("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n")
	list := func(paths []string) {
		for _, p := range paths {
			r, err := filepath.Rel(dir, p)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&k, "- %s\n", r)
		}
	}
	list(resources)
	if len(components) > 0 {
		k.WriteString("components:\n")
		list(components)
	}
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(k.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return renderDir(t, dir)
}
