package manifests_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// admissionDir holds the ValidatingAdmissionPolicies and their bindings.
const admissionDir = "deploy/kubernetes/infrastructure/base/admission"

// TestAdmissionPoliciesMirrorTheRego: each admission policy names the
// manifest-time messages of the rules it enforces, and every one of them
// is still produced by some policy fixture, so a renamed or dropped Rego
// rule cannot leave its admission twin unchecked; each policy is bound,
// refusing (Deny), in the namespaces labelled for enforcement, which
// include the apps' namespace in every environment.
func TestAdmissionPoliciesMirrorTheRego(t *testing.T) {
	tb := box(t)
	_, objs := renderDir(t, tb.Path(filepath.FromSlash(admissionDir)))
	policies := manifestcheck.AdmissionPolicies(objs)
	if len(policies) < 3 {
		t.Fatalf("found %d admission policies, want pod security, resources and images", len(policies))
	}
	var expected []string
	files, _ := filepath.Glob(tb.Path(filepath.FromSlash(FixtureDir), "*.yaml"))
	for _, f := range files {
		expected = append(expected, fixtureExpectations(t, f)...)
	}
	for _, p := range policies {
		if len(p.Fragments) == 0 {
			t.Errorf("%s: no %s annotation", p.Name, manifestcheck.RegoMessagesAnnotation)
		}
		for _, f := range p.Fragments {
			if !slices.ContainsFunc(expected, func(e string) bool { return strings.Contains(e, f) }) {
				t.Errorf("%s: no policy fixture fails with a message containing %q", p.Name, f)
			}
		}
		var bound bool
		for _, b := range manifestcheck.OfKind(objs, "ValidatingAdmissionPolicyBinding") {
			if b.Str("spec", "policyName") == p.Name {
				bound = true
				if got := b.List("spec", "validationActions"); !slices.Contains(got, any("Deny")) {
					t.Errorf("binding %s only %v", b.Name(), got)
				}
				if got := b.Str("spec", "matchResources", "namespaceSelector", "matchLabels", "shipshape.dev/admission"); got != "enforced" {
					t.Errorf("binding %s selects namespaces by %v", b.Name(), b.Get("spec", "matchResources", "namespaceSelector"))
				}
			}
		}
		if !bound {
			t.Errorf("%s has no binding", p.Name)
		}
	}
	for _, overlay := range withTestCluster {
		_, apps := render(t, overlay)
		infra, _ := renderInfrastructure(t, overlay)
		ns := manifestcheck.Find(apps, "Namespace", "shipshape")
		if ns.Str("metadata", "labels", "shipshape.dev/admission") != "enforced" {
			t.Errorf("%s: the namespace shipshape is not labelled for admission enforcement", overlay)
		}
		if overlay == "development" {
			continue // a plain cluster for make run and kind; no infrastructure layer
		}
		if infraObjs, err := manifestcheck.Decode(infra); err != nil || len(manifestcheck.AdmissionPolicies(infraObjs)) != len(policies) {
			t.Errorf("%s: the infrastructure layer does not install the %d admission policies (%v)", overlay, len(policies), err)
		}
	}
}
