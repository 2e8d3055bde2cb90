//go:build cluster

package nodes_test

import (
	"encoding/json"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// restrictedPod is a pod spec of the containers that the restricted Pod
// Security level admits: the nonroot user, the runtime's seccomp profile,
// no service account token.
func restrictedPod(containers ...map[string]any) map[string]any {
	list := make([]any, len(containers))
	for i, c := range containers {
		list[i] = c
	}
	return map[string]any{
		"automountServiceAccountToken": false,
		"securityContext": map[string]any{"runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532,
			"seccompProfile": map[string]any{"type": "RuntimeDefault"}},
		"containers": list,
	}
}

// busybox is a container of the cluster's busybox image running command,
// with small requests and limits, a read-only root and no capabilities.
func busybox(t *testing.T, name string, command ...string) map[string]any {
	t.Helper()
	return map[string]any{
		"name": name, "image": clustertest.BusyboxImage(t), "imagePullPolicy": "Never", "command": command,
		"resources": map[string]any{"requests": map[string]any{"cpu": "10m", "memory": "16Mi"},
			"limits": map[string]any{"cpu": "100m", "memory": "32Mi"}},
		"securityContext": map[string]any{"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
			"capabilities": map[string]any{"drop": []string{"ALL"}}},
	}
}

// placement maps each node to the ready pods on it that selector (a label
// selector) matches in namespace ns; a pod being deleted is not counted.
func placement(t *testing.T, ns, selector string) map[string][]string {
	t.Helper()
	var list struct {
		Items []struct {
			Metadata struct {
				Name              string
				DeletionTimestamp *string
			}
			Spec   struct{ NodeName string }
			Status struct {
				Conditions []struct{ Type, Status string }
			}
		}
	}
	if err := json.Unmarshal([]byte(clustertest.Kubectl(t, ns, "get", "pods", "-l", selector, "-o", "json")), &list); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, p := range list.Items {
		for _, c := range p.Status.Conditions {
			if c.Type == "Ready" && c.Status == "True" && p.Metadata.DeletionTimestamp == nil {
				out[p.Spec.NodeName] = append(out[p.Spec.NodeName], p.Metadata.Name)
			}
		}
	}
	return out
}

// ready counts the pods in a placement.
func ready(p map[string][]string) int {
	n := 0
	for _, pods := range p {
		n += len(pods)
	}
	return n
}
