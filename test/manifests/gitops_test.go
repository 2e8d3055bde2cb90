package manifests_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// TestGitOpsClusters: every environment's GitOps configuration
// (deploy/gitops/clusters) builds and is schema-valid (the Flux CRDs);
// staging's and production's Kustomizations build that environment's
// infrastructure, database and apps from this repository, in that order,
// each as an applier the configuration creates, pruning, waiting (the
// infrastructure for the platform add-ons' health) and orphaning on
// removal; the repository's GitRepository fetches what they build.
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
			order := []string{"infrastructure", "database", "apps"}
			if len(ks) != len(order) {
				t.Fatalf("%d Flux Kustomizations, want %v", len(ks), order)
			}
			for i, name := range order {
				k := manifestcheck.Find(ks, "Kustomization", name)
				if k == nil {
					t.Fatalf("no Flux Kustomization %s", name)
				}
				var deps []string
				for _, d := range k.List("spec", "dependsOn") {
					deps = append(deps, manifestcheck.Object(d.(map[string]any)).Str("name"))
				}
				if want := order[max(i-1, 0):i]; !slices.Equal(deps, want) {
					t.Errorf("%s depends on %v, want %v", name, deps, want)
				}
			}
			// infrastructure's objects have no rollout: it waits for the
			// platform add-ons' health instead (Flux ignores health checks
			// when wait is on)
			if infra := manifestcheck.Find(ks, "Kustomization", "infrastructure"); infra.Get("spec", "wait") != false || len(infra.List("spec", "healthChecks")) == 0 {
				t.Errorf("infrastructure: wait %v with %d health checks, want the platform's health checks instead of wait",
					infra.Get("spec", "wait"), len(infra.List("spec", "healthChecks")))
			}
			for _, k := range ks {
				want := map[string]any{"prune": true, "wait": true, "deletionPolicy": "Orphan"}
				if k.Name() == "infrastructure" {
					delete(want, "wait")
				}
				for field, want := range want {
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

// TestGitOpsLayersSplitTheOverlay: the database and apps Kustomizations,
// built as Flux builds them (the environment's overlay with each one's
// patches), split the overlay: every object in exactly one layer; the
// database layer holds the namespace, PostgreSQL and every object of the
// overlay its pods read, so that it starts on a fresh cluster before any
// service, and no service; apps holds the services.
func TestGitOpsLayersSplitTheOverlay(t *testing.T) {
	tb := box(t)
	for env, overlay := range map[string]string{
		"staging":    tb.Path("deploy", "kubernetes", "apps", "staging"),
		"production": tb.Path("deploy", "kubernetes", "apps", "production"),
		// what the test cluster's hydrated repository holds is this
		// overlay, by digest (test/cluster/deploy.sh)
		"test-cluster": tb.Path("test", "cluster", "overlay"),
	} {
		t.Run(env, func(t *testing.T) {
			_, config := renderDir(t, tb.Path("deploy", "gitops", "clusters", env))
			_, all := renderDir(t, overlay)
			layers := map[string][]manifestcheck.Object{}
			layerOf := map[string]string{}
			for _, name := range []string{"database", "apps"} {
				k := manifestcheck.Find(config, "Kustomization", name)
				if k == nil {
					t.Fatalf("no Flux Kustomization %s", name)
				}
				layers[name] = buildLayer(t, overlay, k.List("spec", "patches"))
				for _, o := range layers[name] {
					if other, ok := layerOf[o.ID()]; ok {
						t.Errorf("%s is in both %s and %s", o.ID(), other, name)
					}
					layerOf[o.ID()] = name
				}
			}
			for _, o := range all {
				if _, ok := layerOf[o.ID()]; !ok {
					t.Errorf("%s is in neither layer", o.ID())
				}
			}
			if len(layerOf) != len(all) {
				t.Errorf("the layers hold %d objects, the overlay %d", len(layerOf), len(all))
			}

			db, apps := layers["database"], layers["apps"]
			for _, want := range []podReference{{"Namespace", "shipshape"}, {"StatefulSet", "postgres"}, {"NetworkPolicy", "default-deny"}} {
				if manifestcheck.Find(db, want.kind, want.name) == nil {
					t.Errorf("the database layer has no %s %s", want.kind, want.name)
				}
			}
			if n := len(manifestcheck.OfKind(db, "Deployment")); n != 0 {
				t.Errorf("the database layer holds %d Deployments", n)
			}
			for _, name := range []string{"identity", "catalog", "cart", "orders", "gateway", "web"} {
				if manifestcheck.Find(apps, "Deployment", name) == nil {
					t.Errorf("apps has no Deployment %s", name)
				}
			}
			rendered, inDB := provided(all), provided(db)
			for _, ref := range podReferences(db) {
				if rendered[ref] && !inDB[ref] {
					t.Errorf("the database layer's pods read %s %s, which apps applies after it", ref.kind, ref.name)
				}
			}
		})
	}
}

// buildLayer builds overlay with a Flux Kustomization's patches, as
// kustomize-controller does (it adds them to the path's kustomization).
func buildLayer(t *testing.T, overlay string, patches []any) []manifestcheck.Object {
	t.Helper()
	dir := t.TempDir()
	rel, err := filepath.Rel(dir, overlay)
	if err != nil {
		t.Fatal(err)
	}
	k, err := json.Marshal(map[string]any{"resources": []string{rel}, "patches": patches})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), k, 0o600); err != nil {
		t.Fatal(err)
	}
	y, err := box(t).Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := manifestcheck.Decode(y)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}
