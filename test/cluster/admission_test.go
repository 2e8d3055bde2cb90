//go:build cluster

package cluster_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// admissionNamespace is where the admission tests write (dry run): labelled
// for the project's admission policies, without Pod Security labels so
// that only those policies decide.
const admissionNamespace = "admission-test"

func admissionTestNamespace(t *testing.T) {
	t.Helper()
	ns := `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"` + admissionNamespace + `",
	  "labels":{"shipshape.dev/admission":"enforced"}}}`
	if out, err := kubectlIn("", ns, "apply", "-f", "-"); err != nil {
		t.Fatalf("create namespace: %v\n%s", err, out)
	}
}

// dryRun asks the API server to admit obj without storing it; the error
// output names the refusing policy.
func dryRun(obj map[string]any) (string, error) {
	return dryRunIn(admissionNamespace, obj)
}

func dryRunIn(namespace string, obj map[string]any) (string, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return "", err
	}
	return kubectlIn(namespace, string(data), "apply", "--dry-run=server", "-f", "-")
}

// environmentNamespace creates a namespace like a staging or production
// overlay's (labelled for enforcement and with the environment, so the
// registry rule's binding selects it), removed when the test ends.
func environmentNamespace(t *testing.T, name, environment string) {
	t.Helper()
	ns := `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"` + name + `",
	  "labels":{"shipshape.dev/admission":"enforced","shipshape.dev/environment":"` + environment + `"}}}`
	if out, err := kubectlIn("", ns, "apply", "-f", "-"); err != nil {
		t.Fatalf("create namespace: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = kubectlIn("", "", "delete", "namespace", name, "--wait=false") })
}

// allowRegistries writes the namespace's ConfigMap of allowed registries.
func allowRegistries(t *testing.T, namespace string, prefixes ...string) {
	t.Helper()
	data, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "shipshape-allowed-registries", "namespace": namespace},
		"data":     map[string]any{"prefixes": strings.Join(prefixes, "\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := kubectlIn(namespace, string(data), "apply", "-f", "-"); err != nil {
		t.Fatalf("write the allowed registries: %v\n%s", err, out)
	}
}

// awaitRegistryList waits until the API server's view of the namespace's
// allowed registries (an informer) has caught up: the ConfigMap is found,
// or, when the namespace has none, missing.
func awaitRegistryList(t *testing.T, namespace string, present bool) {
	t.Helper()
	probe := compliant()
	probe["metadata"].(map[string]any)["namespace"] = namespace
	clustertest.Poll(t, 30*time.Second, 100*time.Millisecond, namespace+"'s allowed registries seen by admission", func() error {
		out, _ := dryRunIn(namespace, probe)
		if strings.Contains(out, "no params found") == present {
			return fmt.Errorf("%s", out)
		}
		return nil
	})
}

// fixtureEnvironment is staging or production when a fixture's objects
// say so (their shipshape.dev/environment label), else "".
func fixtureEnvironment(objs []manifestcheck.Object) string {
	for _, o := range objs {
		env, _ := o.Map("metadata", "labels")["shipshape.dev/environment"].(string)
		if o.Namespace() != "" && (env == "staging" || env == "production") {
			return env
		}
	}
	return ""
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var refusedBy = regexp.MustCompile(`ValidatingAdmissionPolicy '([a-z0-9-]+)'`)

// compliant is a Deployment every rule admits; each case below breaks one.
func compliant() map[string]any {
	var d map[string]any
	err := json.Unmarshal([]byte(`{"apiVersion":"apps/v1","kind":"Deployment",
	  "metadata":{"name":"compliant","namespace":"`+admissionNamespace+`","labels":{"shipshape.dev/environment":"production"}},
	  "spec":{"replicas":1,"selector":{"matchLabels":{"app.kubernetes.io/name":"compliant"}},
	    "template":{"metadata":{"labels":{"app.kubernetes.io/name":"compliant"}},
	      "spec":{"automountServiceAccountToken":false,
	        "securityContext":{"runAsNonRoot":true,"runAsUser":10001,"runAsGroup":10001,"seccompProfile":{"type":"RuntimeDefault"}},
	        "containers":[{"name":"app",
	          "image":"registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	          "ports":[{"name":"admin","containerPort":9091}],
	          "livenessProbe":{"httpGet":{"path":"/healthz","port":"admin"}},
	          "readinessProbe":{"httpGet":{"path":"/readyz","port":"admin"}},
	          "resources":{"requests":{"cpu":"10m","memory":"16Mi","ephemeral-storage":"16Mi"},
	                       "limits":{"cpu":"100m","memory":"32Mi","ephemeral-storage":"64Mi"}},
	          "securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}}]}}}}`), &d)
	if err != nil {
		panic(err)
	}
	return d
}

func podSpec(d map[string]any) map[string]any {
	return d["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
}

func container(d map[string]any) map[string]any {
	return podSpec(d)["containers"].([]any)[0].(map[string]any)
}

func containerSecurity(d map[string]any) map[string]any {
	return container(d)["securityContext"].(map[string]any)
}

// TestAdmissionRefusesEachRule: the real API server refuses a Deployment
// that breaks one rule, naming the policy and the rule, and admits the
// compliant one (server-side dry run in a namespace labelled for
// enforcement).
func TestAdmissionRefusesEachRule(t *testing.T) {
	admissionTestNamespace(t)
	if out, err := dryRun(compliant()); err != nil {
		t.Fatalf("the compliant Deployment was refused: %v\n%s", err, out)
	}
	cases := []struct {
		rule, policy, message string
		breakIt               func(d map[string]any)
	}{
		{"root", "shipshape-pod-security", "runAsNonRoot must be true", func(d map[string]any) {
			podSpec(d)["securityContext"].(map[string]any)["runAsNonRoot"] = false
		}},
		{"uid 0", "shipshape-pod-security", "runAsUser and runAsGroup must be 10000 or more", func(d map[string]any) {
			containerSecurity(d)["runAsUser"] = 0
		}},
		{"writable root", "shipshape-pod-security", "readOnlyRootFilesystem must be true", func(d map[string]any) {
			containerSecurity(d)["readOnlyRootFilesystem"] = false
		}},
		{"escalation", "shipshape-pod-security", "allowPrivilegeEscalation must be false", func(d map[string]any) {
			delete(containerSecurity(d), "allowPrivilegeEscalation")
		}},
		{"capabilities", "shipshape-pod-security", "capabilities.drop must contain ALL", func(d map[string]any) {
			containerSecurity(d)["capabilities"] = map[string]any{"drop": []any{"ALL"}, "add": []any{"NET_RAW"}}
		}},
		{"privileged", "shipshape-pod-security", "must not be privileged", func(d map[string]any) {
			containerSecurity(d)["privileged"] = true
			delete(containerSecurity(d), "allowPrivilegeEscalation") // false with privileged is invalid anyway
		}},
		{"host network", "shipshape-pod-security", "hostNetwork, hostPID and hostIPC must not be used", func(d map[string]any) {
			podSpec(d)["hostNetwork"] = true
		}},
		{"host path", "shipshape-pod-security", "a hostPath volume must not be used", func(d map[string]any) {
			podSpec(d)["volumes"] = []any{map[string]any{"name": "node", "hostPath": map[string]any{"path": "/var/log"}}}
		}},
		{"token", "shipshape-pod-security", "automountServiceAccountToken must be false", func(d map[string]any) {
			delete(podSpec(d), "automountServiceAccountToken")
		}},
		{"seccomp", "shipshape-pod-security", "seccompProfile.type must be RuntimeDefault", func(d map[string]any) {
			podSpec(d)["securityContext"].(map[string]any)["seccompProfile"] = map[string]any{"type": "Unconfined"}
		}},
		{"no limits", "shipshape-resources", "requests and limits of cpu, memory and ephemeral-storage are required", func(d map[string]any) {
			delete(container(d)["resources"].(map[string]any), "limits")
		}},
		// the API server's own validation, before any policy
		{"request above limit", "", "must be less than or equal to memory limit", func(d map[string]any) {
			container(d)["resources"].(map[string]any)["requests"].(map[string]any)["memory"] = "64Mi"
		}},
		{"no readiness probe", "shipshape-resources", "livenessProbe and readinessProbe are required", func(d map[string]any) {
			delete(container(d), "readinessProbe")
		}},
		{"latest", "shipshape-images", "a tag other than latest is required", func(d map[string]any) {
			container(d)["image"] = "registry.example/app:latest"
		}},
		{"no tag", "shipshape-images", "a tag other than latest is required", func(d map[string]any) {
			container(d)["image"] = "registry.example/app"
		}},
		{"tag in production", "shipshape-images", "staging and production run released digests only", func(d map[string]any) {
			container(d)["image"] = "registry.example/app:1.2.3"
		}},
		{"tag in staging", "shipshape-images", "staging and production run released digests only", func(d map[string]any) {
			d["metadata"].(map[string]any)["labels"] = map[string]any{"shipshape.dev/environment": "staging"}
			container(d)["image"] = "registry.example/app:1.2.3"
		}},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			d := compliant()
			c.breakIt(d)
			out, err := dryRun(d)
			if err == nil {
				t.Fatalf("admitted:\n%s", out)
			}
			if (c.policy != "" && !strings.Contains(out, "'"+c.policy+"'")) || !strings.Contains(out, c.message) {
				t.Errorf("refused, but not by %s for %q:\n%s", c.policy, c.message, out)
			}
		})
	}
	// A tag outside staging and production is fine.
	d := compliant()
	d["metadata"].(map[string]any)["labels"] = map[string]any{"shipshape.dev/environment": "development"}
	container(d)["image"] = "registry.example/app:1.2.3"
	if out, err := dryRun(d); err != nil {
		t.Errorf("a tagged image in development was refused: %v\n%s", err, out)
	}
}

// TestAdmissionAgreesWithTheFixtures: every object of every policy fixture
// (deploy/policies/fixtures), written to the cluster, is refused exactly
// when its manifest-time failures include a rule an admission policy
// enforces, and then by that policy (or by the API server's own
// validation, which some rules duplicate); every other object is admitted. The
// manifest-time and the admission rules cannot drift apart unnoticed.
func TestAdmissionAgreesWithTheFixtures(t *testing.T) {
	admissionTestNamespace(t)
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	var rendered []manifestcheck.Object
	sources, _ := filepath.Glob(repo.Path("deploy", "kubernetes", "infrastructure", "base", "admission", "*.yaml"))
	for _, f := range sources {
		objs, err := manifestcheck.Decode(readFile(t, f))
		if err != nil {
			t.Fatal(err)
		}
		rendered = append(rendered, objs...)
	}
	policies := manifestcheck.AdmissionPolicies(rendered)
	files, _ := filepath.Glob(repo.Path("deploy", "policies", "fixtures", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no policy fixtures")
	}
	refused := 0
	for _, file := range files {
		want, err := manifestcheck.FixtureExpectations(file)
		if err != nil {
			t.Fatal(err)
		}
		predicted := manifestcheck.PredictAdmission(policies, want)
		objs, err := manifestcheck.Decode(readFile(t, file))
		if err != nil {
			t.Fatal(err)
		}
		// A staging or production fixture goes to a namespace of that
		// environment, with the fixture's ConfigMaps (its allowed
		// registries) stored for real: the registry rule reads them.
		namespace := admissionNamespace
		if env := fixtureEnvironment(objs); env != "" {
			namespace = "admission-" + strings.TrimSuffix(filepath.Base(file), ".yaml")
			environmentNamespace(t, namespace, env)
			for _, o := range manifestcheck.OfKind(objs, "ConfigMap") {
				o["metadata"].(map[string]any)["namespace"] = namespace
				data, _ := json.Marshal(o)
				if out, err := kubectlIn(namespace, string(data), "apply", "-f", "-"); err != nil {
					t.Fatalf("%s: %v\n%s", filepath.Base(file), err, out)
				}
			}
			awaitRegistryList(t, namespace, len(manifestcheck.OfKind(objs, "ConfigMap")) > 0)
		}
		for _, o := range objs {
			if o.Kind() == "Namespace" || o.Namespace() == "" {
				continue // cluster-scoped objects are outside the policies
			}
			id := o.ID()
			o = admittedAs(t, o)
			o["metadata"].(map[string]any)["namespace"] = namespace
			out, err := dryRunIn(namespace, o)
			m := refusedBy.FindStringSubmatch(out)
			// The API server's own validation refuses some of the same
			// things before any policy sees them (a request above its
			// limit, privileged without escalation).
			invalid := err != nil && strings.Contains(out, "is invalid")
			switch {
			case invalid && len(predicted[id]) > 0:
				refused++
			case len(predicted[id]) == 0 && err != nil:
				t.Errorf("%s (%s): refused, but its manifest-time failures name no admission rule:\n%s", id, filepath.Base(file), out)
			case len(predicted[id]) > 0 && err == nil:
				t.Errorf("%s (%s): admitted, but %v should refuse it", id, filepath.Base(file), predicted[id])
			case err != nil && (m == nil || !slices.Contains(predicted[id], m[1])):
				t.Errorf("%s (%s): refused, but not by one of %v:\n%s", id, filepath.Base(file), predicted[id], out)
			case err != nil:
				refused++
			}
		}
	}
	if refused < 10 {
		t.Errorf("only %d fixture objects refused; the fixtures should exercise every admission rule", refused)
	}
	t.Logf("%d fixture objects refused as the manifest-time policies predict", refused)
}

// admittedAs is what the API server admits for a fixture object: the
// object itself, or for an AnalysisTemplate the Job that Argo Rollouts
// creates from its Job metric (the template holds no pod; the Job does,
// and the admission policies meet it then).
func admittedAs(t *testing.T, o manifestcheck.Object) manifestcheck.Object {
	t.Helper()
	if o.Kind() != "AnalysisTemplate" {
		return o
	}
	spec := o.AnalysisJob()
	if spec == nil {
		t.Fatalf("%s: an AnalysisTemplate fixture without exactly one Job metric", o.ID())
	}
	return manifestcheck.Object{"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": o.Name()}, "spec": map[string]any(spec)}
}

// TestAdmissionAllowsOnlyListedRegistries: in a production namespace the
// images must come from a registry its ConfigMap lists; without the
// ConfigMap, or with an empty list, nothing is admitted.
func TestAdmissionAllowsOnlyListedRegistries(t *testing.T) {
	const namespace = "admission-test-production"
	environmentNamespace(t, namespace, "production")
	inNamespace := func(image string) map[string]any {
		d := compliant()
		d["metadata"].(map[string]any)["namespace"] = namespace
		if image != "" {
			container(d)["image"] = image
		}
		return d
	}
	// The API server reads the ConfigMap from an informer: a change shows
	// after a moment, so each outcome is awaited (within 30 s).
	refused := func(d map[string]any, message string) {
		t.Helper()
		clustertest.Poll(t, 30*time.Second, 100*time.Millisecond, "a refusal with "+message, func() error {
			out, err := dryRunIn(namespace, d)
			if err == nil {
				return fmt.Errorf("admitted:\n%s", out)
			}
			if !strings.Contains(out, "shipshape-image-registries") || !strings.Contains(out, message) {
				return fmt.Errorf("refused, but not by shipshape-image-registries for %q:\n%s", message, out)
			}
			return nil
		})
	}
	// the compliant Deployment's image is registry.example/app@sha256:...
	refused(inNamespace(""), "no params found")

	allowRegistries(t, namespace, "")
	refused(inNamespace(""), "lists no allowed registries")

	allowRegistries(t, namespace, "mirror.example/", "registry.example/")
	clustertest.Poll(t, 30*time.Second, 100*time.Millisecond, "an image from a listed registry admitted", func() error {
		if out, err := dryRunIn(namespace, inNamespace("")); err != nil {
			return fmt.Errorf("%v\n%s", err, out)
		}
		return nil
	})
	foreign := "elsewhere.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	refused(inNamespace(foreign), "image "+foreign+" is not from an allowed registry (mirror.example/, registry.example/)")
	// a prefix is matched as written: a look-alike host is not the registry
	refused(inNamespace("registry.example.attacker.test/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
		"is not from an allowed registry")
}
