//go:build cluster

package nodes_test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// workload makes a namespace and in it a Deployment of replicas small
// web servers (busybox httpd serving its /etc), spread over the zones
// (a cordoned node's zone does not count: nodeTaintsPolicy Honor), a
// PodDisruptionBudget that allows one pod down at a time, and a Service.
// A pod stops serving only after its endpoint is gone (preStop sleeps),
// and leaves a node that stopped answering after tolerate seconds. It
// returns a URL of the Service that answers 200, once the host's
// kube-proxy has the Service.
func workload(t *testing.T, ns string, replicas, tolerate int) string {
	t.Helper()
	clustertest.Kubectl(t, "", "create", "namespace", ns)
	t.Cleanup(func() { _, _ = clustertest.KubectlIn("", "", "delete", "namespace", ns, "--wait=false") })
	labels := map[string]any{"app.kubernetes.io/name": "web"}
	toleration := func(key string) map[string]any {
		return map[string]any{"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": tolerate}
	}
	container := busybox(t, "web", "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/etc")
	container["ports"] = []any{map[string]any{"containerPort": 8080}}
	container["readinessProbe"] = map[string]any{"tcpSocket": map[string]any{"port": 8080}, "periodSeconds": 2}
	container["lifecycle"] = map[string]any{"preStop": map[string]any{"exec": map[string]any{"command": []string{"sleep", "5"}}}}
	pod := restrictedPod(container)
	pod["terminationGracePeriodSeconds"] = 15
	pod["tolerations"] = []any{toleration("node.kubernetes.io/not-ready"), toleration("node.kubernetes.io/unreachable")}
	pod["topologySpreadConstraints"] = []any{map[string]any{
		"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
		"nodeTaintsPolicy": "Honor", "labelSelector": map[string]any{"matchLabels": labels}}}
	objects := []map[string]any{
		{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "web"},
			"spec": map[string]any{"replicas": replicas, "selector": map[string]any{"matchLabels": labels},
				"template": map[string]any{"metadata": map[string]any{"labels": labels}, "spec": pod}}},
		{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": map[string]any{"name": "web"},
			"spec": map[string]any{"maxUnavailable": 1, "selector": map[string]any{"matchLabels": labels}}},
		{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "web"},
			"spec": map[string]any{"selector": labels, "ports": []any{map[string]any{"port": 80, "targetPort": 8080}}}},
	}
	for _, o := range objects {
		manifest, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		if out, err := clustertest.KubectlIn(ns, string(manifest), "apply", "-f", "-"); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	clustertest.Kubectl(t, ns, "rollout", "status", "deployment/web", "--timeout=120s")
	ip := strings.TrimSpace(clustertest.Kubectl(t, ns, "get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"))
	// The host's kube-proxy programs a new Service a moment after the API
	// has it; a request to its address before that would take the host's
	// default route, off this machine. The tests run on the host as root.
	clustertest.Poll(t, 30*time.Second, 200*time.Millisecond, "the host's kube-proxy to program "+ip, func() error {
		out, err := exec.Command("iptables-save", "-t", "nat").Output()
		if err != nil {
			return err
		}
		if !strings.Contains(string(out), "-d "+ip+"/32 ") {
			return fmt.Errorf("no rule for %s yet", ip)
		}
		return nil
	})
	return fmt.Sprintf("http://%s:80/passwd", ip)
}

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

// placement maps each node to the workload's ready pods on it.
func placement(t *testing.T, ns string) map[string][]string {
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
	if err := json.Unmarshal([]byte(clustertest.Kubectl(t, ns, "get", "pods", "-o", "json")), &list); err != nil {
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

// nodeScript runs test/cluster/node.sh ACTION for node number i.
func nodeScript(t *testing.T, action string, i int) {
	t.Helper()
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(repo.Root, "test", "cluster", "node.sh"), action, fmt.Sprint(i)).CombinedOutput()
	if err != nil {
		t.Fatalf("node.sh %s %d: %v\n%s", action, i, err, out)
	}
	t.Logf("node.sh %s %d: %s", action, i, strings.TrimSpace(string(out)))
}

// nodeReady is the Ready condition's status of a node ("True", "False",
// "Unknown").
func nodeReady(t *testing.T, name string) string {
	t.Helper()
	return clustertest.Kubectl(t, "", "get", "node", name, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`)
}

// startLoad starts workers sending GETs of url (each request on a
// connection of its own) until the test ends, once the Service answers.
func startLoad(t *testing.T, url string, workers int) *clustertest.Load {
	t.Helper()
	clustertest.Poll(t, 30*time.Second, 500*time.Millisecond, "the Service to answer", func() error {
		_, err := clustertest.Get(url)
		return err
	})
	load := clustertest.StartLoad(workers, clustertest.Target{URL: url, Once: true})
	t.Cleanup(load.Stop)
	return load
}

// since is the time from start, rounded to a tenth of a second.
func since(start time.Time) time.Duration { return time.Since(start).Round(100 * time.Millisecond) }
