//go:build cluster

package cluster_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every pod of the system runs and is Ready in a namespace that enforces
// the restricted Pod Security Standard, and that namespace really refuses
// a pod that breaks it.
func TestEveryPodReadyUnderRestricted(t *testing.T) {
	rolledOut(t)
	ns := object(t, "namespace", namespace)
	labels := ns["metadata"].(map[string]any)["labels"].(map[string]any)
	if labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		t.Fatalf("namespace labels %v: want pod-security.kubernetes.io/enforce=restricted", labels)
	}

	var pods struct {
		Items []struct {
			Metadata struct{ Name string }
			Status   struct {
				Phase      string
				Conditions []struct{ Type, Status string }
			}
		}
	}
	if err := json.Unmarshal([]byte(kubectl(t, "get", "pods", "-o", "json")), &pods); err != nil {
		t.Fatal(err)
	}
	running := 0
	for _, p := range pods.Items {
		if p.Status.Phase == "Succeeded" { // the catalog seed Job
			continue
		}
		ready := false
		for _, c := range p.Status.Conditions {
			ready = ready || (c.Type == "Ready" && c.Status == "True")
		}
		if !ready {
			t.Errorf("pod %s is %s and not Ready\n%s", p.Metadata.Name, p.Status.Phase, diagnose())
		}
		running++
	}
	// postgres, identity, catalog, cart, orders, gateway, web
	if running < 7 {
		t.Errorf("%d pods running, want at least 7", running)
	}

	root := `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"runs-as-root","namespace":"shipshape"},
	  "spec":{"containers":[{"name":"c","image":"shipshape/catalog:dev","securityContext":{"runAsUser":0}}]}}`
	out, err := kubectlErrStdin(root, "apply", "--dry-run=server", "-f", "-")
	if err == nil || !strings.Contains(out, `violates PodSecurity "restricted`) {
		t.Fatalf("a root pod was not refused by Pod Security admission: %v\n%s", err, out)
	}
}
