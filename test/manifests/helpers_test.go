package manifests

import (
	"os/exec"
	"sync"
	"testing"
)

// Overlays are the environments under deploy/kubernetes/overlays.
var Overlays = []string{"development", "staging", "production"}

// overlayDir is where an overlay is: an environment's, or "test-cluster",
// the development overlay as make test-cluster deploys it.
func overlayDir(tb *Toolbox, overlay string) string {
	if overlay == "test-cluster" {
		return tb.Path("test", "cluster", "overlay")
	}
	return tb.Path("deploy", "kubernetes", "overlays", overlay)
}

var (
	boxOnce sync.Once
	boxVal  *Toolbox
	boxErr  error
)

// box returns the toolbox, building tools and schemas on first use, and
// makes sure the development secrets exist (the development overlay
// cannot be built without them).
func box(t testing.TB) *Toolbox {
	t.Helper()
	boxOnce.Do(func() {
		r, err := FindRepo(".")
		if err != nil {
			boxErr = err
			return
		}
		if _, err := run(exec.Command("sh", r.Path("scripts", "dev-secrets.sh"))); err != nil {
			boxErr = err
			return
		}
		boxVal, boxErr = NewToolbox(r)
	})
	if boxErr != nil {
		t.Fatal(boxErr)
	}
	return boxVal
}

type rendered struct {
	yaml []byte
	objs []Object
}

var (
	rendersMu sync.Mutex
	renders   = map[string]func() (rendered, error){}
)

// render builds an overlay (by name, see overlayDir) once per test process.
func render(t testing.TB, overlay string) ([]byte, []Object) {
	t.Helper()
	tb := box(t)
	rendersMu.Lock()
	f, ok := renders[overlay]
	if !ok {
		f = sync.OnceValues(func() (rendered, error) {
			y, err := tb.Build(overlayDir(tb, overlay))
			if err != nil {
				return rendered{}, err
			}
			objs, err := Decode(y)
			return rendered{y, objs}, err
		})
		renders[overlay] = f
	}
	rendersMu.Unlock()
	r, err := f()
	if err != nil {
		t.Fatalf("%s: %v", overlay, err)
	}
	return r.yaml, r.objs
}
