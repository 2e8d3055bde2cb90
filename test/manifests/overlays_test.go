package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"slices"
	"strings"
	"testing"
)

// TestOverlays builds each environment, its infrastructure and its apps
// (and the test cluster's), validates them strictly against the
// Kubernetes 1.37 and CRD schemas, and runs every policy over them.
func TestOverlays(t *testing.T) {
	for _, overlay := range withTestCluster {
		t.Run(overlay, func(t *testing.T) {
			t.Parallel()
			tb := box(t)
			apps, objs := render(t, overlay)
			if len(objs) < 30 {
				t.Fatalf("%s renders only %d objects", overlay, len(objs))
			}
			infra, _ := renderInfrastructure(t, overlay)
			yaml := slices.Concat(infra, []byte("---\n"), apps)
			findings, err := tb.Validate(yaml)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				t.Errorf("kubeconform: %s", f)
			}
			failures, err := tb.Policies(yaml)
			if err != nil {
				t.Fatal(err)
			}
			if overlay == "staging" || overlay == "production" {
				failures = unreleased(t, overlay, failures)
			}
			for _, f := range failures {
				t.Errorf("policy %s: %s", f.Namespace, f.Msg)
			}
		})
	}
}

// unreleased accepts, in the committed staging or production overlay,
// exactly the failures of images not yet pinned by a promotion, and returns
// the others.
func unreleased(t *testing.T, overlay string, failures []manifestcheck.PolicyFailure) []manifestcheck.PolicyFailure {
	var other []manifestcheck.PolicyFailure
	pending := 0
	for _, f := range failures {
		if f.Namespace == "shipshape.images" && strings.Contains(f.Msg, "is not pinned by digest") {
			pending++
			continue
		}
		other = append(other, f)
	}
	if pending > 0 {
		t.Logf("%s: %d container images await a promotion (scripts/promote.sh); "+
			"the policy refuses to deploy them, as it must", overlay, pending)
	}
	return other
}

// TestOverlaysAsPromoted checks staging and production as a promotion
// leaves them: every image pinned by digest, and then every policy passes.
func TestOverlaysAsPromoted(t *testing.T) {
	for _, overlay := range []string{"staging", "production"} {
		t.Run(overlay, func(t *testing.T) {
			t.Parallel()
			yaml, _ := promoted(t, overlayDir(box(t), overlay))
			passesPoliciesAndSchemas(t, yaml)
		})
	}
}

// promoted renders the kustomization in dir as a promotion pins it (every
// image by digest, manifestcheck.StampRelease) and fails the test for an
// image left without one.
func promoted(t *testing.T, dir string) ([]byte, []manifestcheck.Object) {
	t.Helper()
	tb := box(t)
	_, objs := renderDir(t, dir)
	yaml, err := tb.StampRelease(dir, objs)
	if err != nil {
		t.Fatal(err)
	}
	stamped, err := manifestcheck.Decode(yaml)
	if err != nil {
		t.Fatal(err)
	}
	for _, image := range manifestcheck.Images(stamped) {
		if !strings.Contains(image, "@sha256:") {
			t.Errorf("release stamping left %s without a digest", image)
		}
	}
	return yaml, stamped
}

// passesPoliciesAndSchemas reports every policy failure and schema finding
// in yaml as a test error.
func passesPoliciesAndSchemas(t *testing.T, yaml []byte) {
	t.Helper()
	tb := box(t)
	failures, err := tb.Policies(yaml)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range failures {
		t.Errorf("policy %s: %s", f.Namespace, f.Msg)
	}
	findings, err := tb.Validate(yaml)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("kubeconform: %s", f)
	}
}
