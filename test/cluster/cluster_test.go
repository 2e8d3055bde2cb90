//go:build cluster

// Package cluster_test runs against the single-node cluster that
// `make test-cluster` starts and deploys (test/cluster/test.sh): the test
// overlay of the development overlay, with images built from this checkout.
// It is built only with -tags cluster, so `go test ./...` never runs it.
package cluster_test

import (
	"os/exec"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

const namespace = "shipshape"

func TestMain(m *testing.M) { clustertest.Main(m) }

// kubectl runs kubectl in the shipshape namespace and returns its output;
// a failure fails the test with kubectl's own message.
func kubectl(t testing.TB, args ...string) string {
	t.Helper()
	return clustertest.Kubectl(t, namespace, args...)
}

func kubectlErr(args ...string) (string, error) { return kubectlErrStdin("", args...) }

// kubectlErrStdin is kubectlErr with stdin, e.g. a manifest for "-f -".
func kubectlErrStdin(stdin string, args ...string) (string, error) {
	return clustertest.KubectlIn(namespace, stdin, args...)
}

// kubectlIn is kubectlErrStdin in another namespace.
var kubectlIn = clustertest.KubectlIn

// object reads one object as JSON.
func object(t testing.TB, kind, name string) map[string]any {
	t.Helper()
	return clustertest.Object(t, namespace, kind, name)
}

// serviceURL is http://<ClusterIP>:<port> of a Service in the shipshape
// namespace.
func serviceURL(t testing.TB, service string, port int) string {
	t.Helper()
	return clustertest.ServiceURL(t, namespace, service, port)
}

func apiURL(t testing.TB) string { return serviceURL(t, "gateway", 8080) + "/api/v1" }

// rolledOut waits until every Deployment and the StatefulSet have all
// their replicas updated and ready, printing the pods' events and logs if
// they do not within the deadline.
func rolledOut(t testing.TB) {
	t.Helper()
	for _, w := range []string{"statefulset/postgres", "deployment/identity", "deployment/catalog",
		"deployment/cart", "deployment/orders", "deployment/gateway", "deployment/web"} {
		if out, err := kubectlErr("rollout", "status", w, "--timeout=240s"); err != nil {
			t.Fatalf("%s did not roll out: %v\n%s\n%s", w, err, out, diagnose())
		}
	}
}

// diagnose is diagnose.sh's report: not-ready pods' events and logs.
func diagnose() string {
	out, _ := exec.Command("bash", "diagnose.sh", namespace).CombinedOutput()
	return string(out)
}
