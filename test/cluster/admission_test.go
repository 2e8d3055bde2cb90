//go:build cluster

package cluster_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

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
	data, err := json.Marshal(obj)
	if err != nil {
		return "", err
	}
	return kubectlIn(admissionNamespace, string(data), "apply", "--dry-run=server", "-f", "-")
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
		{"tag in production", "shipshape-images", "production runs released digests only", func(d map[string]any) {
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
	// A tag outside production is fine.
	d := compliant()
	d["metadata"].(map[string]any)["labels"] = map[string]any{"shipshape.dev/environment": "staging"}
	container(d)["image"] = "registry.example/app:1.2.3"
	if out, err := dryRun(d); err != nil {
		t.Errorf("a tagged image outside production was refused: %v\n%s", err, out)
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
		for _, o := range objs {
			if o.Kind() == "Namespace" || o.Namespace() == "" {
				continue // cluster-scoped objects are outside the policies
			}
			id := o.ID()
			o["metadata"].(map[string]any)["namespace"] = admissionNamespace
			out, err := dryRun(o)
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
