// Package clustertest holds the helpers of the tests that run against the
// test cluster (`make test-cluster`): test/cluster's suite and every
// add-on's test in deploy/addons. They run kubectl with the KUBECONFIG
// that test/cluster/test.sh exports, read objects, find Services' cluster
// addresses (the node reaches ClusterIPs through kube-proxy, as a pod does)
// and poll with a deadline.
package clustertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Main runs a cluster suite's tests (call it from TestMain) after checking
// that a cluster is configured: run outside make test-cluster, the suite
// exits with a clear message instead of failing test by test.
func Main(m *testing.M) {
	if os.Getenv("KUBECONFIG") == "" {
		fmt.Fprintln(os.Stderr, "KUBECONFIG is not set: run these tests with make test-cluster")
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// KubectlIn runs kubectl in namespace ns (none for "": cluster-scoped
// objects) with stdin (e.g. a manifest for "-f -") and returns its
// combined output.
func KubectlIn(ns, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if ns != "" {
		args = append([]string{"-n", ns}, args...)
	}
	cmd := exec.CommandContext(ctx, "kubectl", args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Kubectl runs kubectl in namespace ns and returns its output; a failure
// fails the test with kubectl's own message.
func Kubectl(t testing.TB, ns string, args ...string) string {
	t.Helper()
	out, err := KubectlIn(ns, "", args...)
	if err != nil {
		t.Fatalf("kubectl -n %s %s: %v\n%s", ns, strings.Join(args, " "), err, out)
	}
	return out
}

// Object reads one object as JSON.
func Object(t testing.TB, ns, kind, name string) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := json.Unmarshal([]byte(Kubectl(t, ns, "get", kind, name, "-o", "json")), &obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

// ServiceURL is http://<ClusterIP>:<port> of a Service in namespace ns.
func ServiceURL(t testing.TB, ns, service string, port int) string {
	t.Helper()
	ip := strings.TrimSpace(Kubectl(t, ns, "get", "service", service, "-o", "jsonpath={.spec.clusterIP}"))
	return fmt.Sprintf("http://%s:%d", ip, port)
}
