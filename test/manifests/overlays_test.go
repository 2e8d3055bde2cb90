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
				failures = unreleased(t, overlay, objs, failures)
			}
			for _, f := range failures {
				t.Errorf("policy %s: %s", f.Namespace, f.Msg)
			}
		})
	}
}

// unreleased accepts, in the committed staging or production overlay, the
// failures of images not pinned by digest only while no image is: the
// overlay as it stands before its first promotion (its images await the
// first release on GitHub, docs/delivery.md). Once a promotion has pinned
// one image, every image must be pinned. The promotion itself is tested
// against the test cluster's release run: the overlay it pins passes
// without this exception (test/cluster/promotion_test.go).
func unreleased(t *testing.T, overlay string, objs []manifestcheck.Object, failures []manifestcheck.PolicyFailure) []manifestcheck.PolicyFailure {
	var other, pending []manifestcheck.PolicyFailure
	for _, f := range failures {
		if f.Namespace == "shipshape.images" && strings.Contains(f.Msg, "is not pinned by digest") {
			pending = append(pending, f)
			continue
		}
		other = append(other, f)
	}
	for _, image := range manifestcheck.Images(objs) {
		if strings.Contains(image, "@sha256:") {
			t.Logf("%s pins %s: every image must be pinned", overlay, image)
			return failures
		}
	}
	if len(pending) > 0 {
		t.Logf("%s: %d container images await the first promotion (scripts/promote.sh); "+
			"the policy refuses to deploy them, as it must", overlay, len(pending))
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
	problems, err := box(t).Problems(yaml)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}
