package manifests_test

import (
	"slices"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// TestAddonWorkloadsMeetTheResourcesRule: the cluster's compliance report
// holds every namespace to the admission policy shipshape-resources
// (deploy/kubernetes/infrastructure/base/admission/resources.yaml), the
// add-ons' too, unless their namespace carries an exception: every
// container with requests and limits of cpu, memory and ephemeral-storage,
// every container of what serves until replaced with a liveness and a
// readiness probe. Checked here, as rendered, so that an add-on missing one
// fails in seconds instead of in the cluster's report (cert-manager and
// ExternalDNS shipped without a readiness probe until the report found
// them).
func TestAddonWorkloadsMeetTheResourcesRule(t *testing.T) {
	objs := renderAddons(t)
	excepted := map[string]bool{}
	for _, o := range objs {
		if o.Kind() == "Namespace" && o.Str("metadata", "annotations", "shipshape.dev/compliance-exception") != "" {
			excepted[o.Name()] = true
		}
	}
	var checked int
	for _, o := range objs {
		if excepted[o.Namespace()] || o.PodTemplate() == nil {
			continue
		}
		// every container, init containers too
		for _, c := range o.Containers() {
			checked++
			for _, kind := range []string{"requests", "limits"} {
				for _, r := range []string{"cpu", "memory", "ephemeral-storage"} {
					if c.Get("resources", kind, r) == nil {
						t.Errorf("%s container %s: no %s of %s", o.ID(), c.Str("name"), kind, r)
					}
				}
			}
		}
		// probes: the regular containers of what serves until replaced
		if !slices.Contains([]string{"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}, o.Kind()) {
			continue
		}
		for _, x := range o.PodTemplate().List("spec", "containers") {
			c, _ := x.(map[string]any)
			for _, probe := range []string{"livenessProbe", "readinessProbe"} {
				if manifestcheck.Object(c).Map(probe) == nil {
					t.Errorf("%s container %v: no %s", o.ID(), c["name"], probe)
				}
			}
		}
	}
	if checked < 15 {
		t.Fatalf("checked %d containers: are the add-ons rendered?", checked)
	}
}
