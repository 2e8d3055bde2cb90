package manifests_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// TestProgressiveDeliveryInProduction: production with the opt-in
// progressive-delivery component, listed as a team enabling it lists it
// (after hpa and vpa, before the release images), is schema-valid and,
// once released, passes every policy: the controller's Role, the
// Rollouts and the smoke journey's Job template included.
func TestProgressiveDeliveryInProduction(t *testing.T) {
	tb := box(t)
	apps := filepath.Join(t.TempDir(), "apps")
	if err := os.CopyFS(apps, os.DirFS(tb.Path("deploy", "kubernetes", "apps"))); err != nil {
		t.Fatal(err)
	}
	k := filepath.Join(apps, "production", "kustomization.yaml")
	data, err := os.ReadFile(k)
	if err != nil {
		t.Fatal(err)
	}
	const release = "\n  - release\n"
	if strings.Count(string(data), release) != 1 {
		t.Fatalf("%s: want exactly one %q in its components", k, strings.TrimSpace(release))
	}
	data = []byte(strings.Replace(string(data), release, "\n  - ../components/progressive-delivery"+release, 1))
	if err := os.WriteFile(k, data, 0o644); err != nil {
		t.Fatal(err)
	}
	yaml, stamped := promoted(t, filepath.Dir(k))
	if n := len(manifestcheck.OfKind(stamped, "Rollout")); n != 6 {
		t.Errorf("%d Rollouts, want one per workload released (6)", n)
	}
	smoke := manifestcheck.Find(stamped, "AnalysisTemplate", "storefront-smoke")
	if c := smoke.Containers(); len(c) != 1 || !strings.HasPrefix(c[0].Str("image"), "ghcr.io/shipshape-dev/shipshape/storefront-smoke:") {
		t.Errorf("the smoke journey's image is not production's release image: %v", c)
	}
	passesPoliciesAndSchemas(t, yaml)
}
