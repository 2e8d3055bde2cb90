package manifests_test

import (
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"testing"
)

// TestProductionSpread: production runs at least 3 replicas of every
// Deployment, one per schedulable node, and the autoscaler never goes below
// that; a node that is cordoned or lost is no domain of the spread (its
// pods' replacements may go to the others), and its pods are replaced
// within a minute.
func TestProductionSpread(t *testing.T) {
	_, objs := render(t, "production")
	hpas := map[string]manifestcheck.Object{}
	for _, h := range manifestcheck.OfKind(objs, "HorizontalPodAutoscaler") {
		hpas[h.Str("spec", "scaleTargetRef", "name")] = h
	}
	deployments := manifestcheck.OfKind(objs, "Deployment")
	if len(deployments) != 6 {
		t.Fatalf("want 6 Deployments, got %d", len(deployments))
	}
	for _, d := range deployments {
		h := hpas[d.Name()]
		if min, _ := h.Int("spec", "minReplicas"); h == nil || min < 3 {
			t.Errorf("%s: HPA minReplicas must be at least 3", d.ID())
		}
		if _, set := d.Int("spec", "replicas"); set {
			t.Errorf("%s: spec.replicas is set; the HPA owns it (re-applying would reset a scaled Deployment)", d.ID())
		}
		ok := false
		for _, raw := range d.PodTemplate().List("spec", "topologySpreadConstraints") {
			c := manifestcheck.Object(raw.(map[string]any))
			skew, _ := c.Int("maxSkew")
			ok = ok || (c.Str("topologyKey") == "kubernetes.io/hostname" && c.Str("whenUnsatisfiable") == "DoNotSchedule" &&
				c.Str("nodeTaintsPolicy") == "Honor" && skew == 1)
		}
		if !ok {
			t.Errorf("%s: needs a hostname topology spread with DoNotSchedule, maxSkew 1 and nodeTaintsPolicy Honor", d.ID())
		}
		for _, taint := range []string{"node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"} {
			switch s := tolerationSeconds(d.PodTemplate(), taint); {
			case s < 0:
				t.Errorf("%s: no toleration of %s of its own (the default holds its pods for 300 s)", d.ID(), taint)
			case s > 60:
				t.Errorf("%s: tolerates %s for %d s, want at most 60", d.ID(), taint, s)
			}
		}
		if d.PodTemplate().Str("spec", "priorityClassName") != "shipshape-serving" {
			t.Errorf("%s: priorityClassName shipshape-serving expected", d.ID())
		}
	}
	if manifestcheck.Find(objs, "StatefulSet", "postgres").PodTemplate().Str("spec", "priorityClassName") != "shipshape-database" {
		t.Error("postgres: priorityClassName shipshape-database expected")
	}
	for _, kind := range []string{"VerticalPodAutoscaler", "PodDisruptionBudget"} {
		if n := len(manifestcheck.OfKind(objs, kind)); n < 6 {
			t.Errorf("production has %d %s objects, want one per Deployment at least", n, kind)
		}
	}
}

// TestDevelopmentIsSmall: development runs one replica of everything and
// no autoscaling, disruption budgets or network policies, and seeds the
// catalog.
func TestDevelopmentIsSmall(t *testing.T) {
	_, objs := render(t, "development")
	for _, d := range manifestcheck.OfKind(objs, "Deployment") {
		if n, _ := d.Int("spec", "replicas"); n != 1 {
			t.Errorf("%s: %d replicas, want 1", d.ID(), n)
		}
	}
	for _, kind := range []string{"HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ExternalSecret"} {
		if n := len(manifestcheck.OfKind(objs, kind)); n != 0 {
			t.Errorf("development has %d %s objects, want none", n, kind)
		}
	}
	seed := manifestcheck.Find(objs, "Job", "catalog-seed")
	if seed == nil {
		t.Fatal("development must seed the catalog (Job catalog-seed)")
	}
	if args := seed.PodTemplate().List("spec", "containers")[0].(map[string]any)["args"]; len(args.([]any)) == 0 || args.([]any)[0] != "seed" {
		t.Errorf("catalog-seed runs %v, want seed", args)
	}
}

// TestSecretsOnlyInDevelopment: no Secret with a value is rendered outside
// development; staging and production name External Secrets for every
// Secret a workload references.
func TestSecretsOnlyInDevelopment(t *testing.T) {
	for _, overlay := range []string{"staging", "production"} {
		_, objs := render(t, overlay)
		if n := len(manifestcheck.OfKind(objs, "Secret")); n != 0 {
			t.Errorf("%s renders %d Secrets: values belong in the secret manager", overlay, n)
		}
		provided := map[string]bool{}
		for _, es := range manifestcheck.OfKind(objs, "ExternalSecret") {
			provided[es.Str("spec", "target", "name")] = true
		}
		for _, ref := range podReferences(objs) {
			if name := ref.name; ref.kind == "Secret" && !provided[name] {
				t.Errorf("%s: Secret %s is referenced but no ExternalSecret provides it", overlay, name)
			}
		}
	}
}

// tolerationSeconds is how long a pod template tolerates a NoExecute taint
// (-1 when it states no toleration of its own: the API server's default
// then holds it for 300 s).
func tolerationSeconds(pod manifestcheck.Object, key string) int {
	for _, raw := range pod.List("spec", "tolerations") {
		tol := manifestcheck.Object(raw.(map[string]any))
		if tol.Str("key") == key && tol.Str("effect") == "NoExecute" {
			if s, set := tol.Int("tolerationSeconds"); set {
				return s
			}
		}
	}
	return -1
}
