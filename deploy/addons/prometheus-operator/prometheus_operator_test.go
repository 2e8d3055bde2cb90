//go:build cluster

// Package prometheusoperator_test checks the prometheus-operator add-on in
// the test cluster (make test-cluster).
package prometheusoperator_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// The operator runs with its RBAC and flags: it has written the kubelet
// Service's EndpointSlice with the node's address, which only a running,
// authorised operator does.
func TestOperatorPublishesTheKubelets(t *testing.T) {
	clustertest.Kubectl(t, "monitoring", "rollout", "status", "deployment/prometheus-operator", "--timeout=120s")
	node := strings.TrimSpace(clustertest.Kubectl(t, "", "get", "nodes",
		"-o", `jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}`))
	clustertest.Poll(t, 60*time.Second, 2*time.Second, "the kubelet EndpointSlice", func() error {
		out, err := clustertest.KubectlIn("kube-system", "", "get", "endpointslices",
			"-l", "kubernetes.io/service-name=kubelet", "-o", "jsonpath={.items[*].endpoints[*].addresses[*]}")
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		if !strings.Contains(out, node) {
			return fmt.Errorf("kubelet endpoints %q lack the node %s", out, node)
		}
		return nil
	})
}
