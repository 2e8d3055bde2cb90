package manifests_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// TestGitOpsClusters: every environment's GitOps configuration
// (deploy/gitops/clusters) builds and is schema-valid (the Flux CRDs);
// staging's and production's Kustomizations build that environment's
// infrastructure and apps from this repository, apps after
// infrastructure, each as its own applier, pruning, waiting and orphaning
// on removal; the repository's GitRepository fetches what they build.
func TestGitOpsClusters(t *testing.T) {
	tb := box(t)
	for _, env := range []string{"staging", "production", "test-cluster"} {
		t.Run(env, func(t *testing.T) {
			yaml, objs := renderDir(t, tb.Path("deploy", "gitops", "clusters", env))
			findings, err := tb.Validate(yaml)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				t.Errorf("kubeconform: %s", f)
			}
			ks := manifestcheck.OfKind(objs, "Kustomization")
			if len(ks) != 2 {
				t.Fatalf("%d Flux Kustomizations, want infrastructure and apps", len(ks))
			}
			infra, apps := manifestcheck.Find(ks, "Kustomization", "infrastructure"), manifestcheck.Find(ks, "Kustomization", "apps")
			if infra == nil || apps == nil {
				t.Fatalf("want the Kustomizations infrastructure and apps, got %v", ks)
			}
			deps := apps.List("spec", "dependsOn")
			if len(deps) != 1 || manifestcheck.Object(deps[0].(map[string]any)).Str("name") != "infrastructure" {
				t.Errorf("apps depends on %v, want infrastructure", deps)
			}
			for _, k := range ks {
				for field, want := range map[string]any{"prune": true, "wait": true, "deletionPolicy": "Orphan"} {
					if got := k.Get("spec", field); got != want {
						t.Errorf("%s: spec.%s is %v, want %v", k.Name(), field, got, want)
					}
				}
				sa := k.Str("spec", "serviceAccountName")
				if manifestcheck.Find(objs, "ServiceAccount", sa) == nil {
					t.Errorf("%s applies as %q, which the configuration does not create", k.Name(), sa)
				}
				if env == "test-cluster" {
					continue // its paths are in the repository the test writes
				}
				path := k.Str("spec", "path")
				if !strings.HasSuffix(path, "/"+env) {
					t.Errorf("%s builds %s, not %s's", k.Name(), path, env)
				}
				if _, err := os.Stat(filepath.Join(tb.Root, filepath.FromSlash(path), "kustomization.yaml")); err != nil {
					t.Errorf("%s builds %s: %v", k.Name(), path, err)
				}
				ignore := manifestcheck.Find(objs, "GitRepository", "shipshape").Str("spec", "ignore")
				if top := strings.Split(strings.TrimPrefix(path, "./"), "/"); !strings.Contains(ignore, "!/"+top[0]+"/"+top[1]+"/") {
					t.Errorf("the GitRepository's ignore rules (%q) leave out %s", ignore, path)
				}
			}
		})
	}
}
