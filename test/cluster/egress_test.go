//go:build cluster

package cluster_test

import (
	"errors"
	"net"
	"strings"
	"testing"
)

// Egress outside the cluster, enforced by kube-router: a pod labelled as a
// PostgreSQL member, or as the snapshot job, reaches the API server (the
// node address on 6443, and the kubernetes Service), a member also the S3
// store of the backup repository (the node address on 9443), and nothing
// else outside, not even HTTPS on this machine: the test listens on the
// node address, port 443, which no block of the test overlay allows (the
// former 0.0.0.0/0 rule did). A pod in a namespace without policies
// reaches that listener, so the refusal is the policy's.
func TestEgressLeavesTheClusterOnlyForTheAPIServerAndBackups(t *testing.T) {
	rolledOut(t)
	node := strings.TrimSpace(kubectl(t, "get", "nodes", "-o",
		`jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}`))
	out, err := kubectlIn("default", "", "get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}")
	if err != nil {
		t.Fatalf("the kubernetes Service: %v %s", err, out)
	}
	apiService := strings.TrimSpace(out)
	ln, err := net.Listen("tcp", net.JoinHostPort(node, "443"))
	if err != nil {
		t.Fatalf("listening on the node address: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err == nil {
				_ = c.Close()
			}
		}
	}()

	control := probePodIn(t, "default", "egress-control", "control")
	member := probePod(t, "egress-as-postgres", "postgres")
	snapshot := probePod(t, "egress-as-snapshot", "postgres-snapshot")

	allowed(t, control, "a pod without policies", node, 443)
	for name, dial := range map[string]func(string, int) error{"a postgres member": member, "the snapshot job": snapshot} {
		allowed(t, dial, name, node, 6443)
		allowed(t, dial, name, apiService, 443)
		denied(t, dial, name, node, 443)
	}
	allowed(t, member, "a postgres member", node, 9443)
	denied(t, snapshot, "the snapshot job", node, 9443)
}

// A Service without endpoints refuses a pod's connection on this machine:
// kube-proxy has nothing to translate its address to and kube-router's
// policy chain accepts the packet before kube-proxy's REJECT sees it, so
// without the host's no-leak routing rule (host.sh) the packet left by the
// default route and whatever answered there got the pod's traffic.
func TestServiceWithoutEndpointsStaysOnTheMachine(t *testing.T) {
	rolledOut(t)
	const svc = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"no-endpoints","namespace":"default"},
	  "spec":{"selector":{"shipshape.dev/test":"selects-no-pod"},"ports":[{"port":80}]}}`
	if out, err := kubectlIn("default", svc, "apply", "-f", "-"); err != nil {
		t.Fatalf("create the Service: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = kubectlIn("default", "", "delete", "service", "no-endpoints", "--wait=false") })
	out, err := kubectlIn("default", "", "get", "service", "no-endpoints", "-o", "jsonpath={.spec.clusterIP}")
	if err != nil {
		t.Fatalf("the Service's address: %v %s", err, out)
	}
	dial := probePodIn(t, "default", "no-endpoints-probe", "control")
	err = dial(strings.TrimSpace(out), 80)
	if err == nil || !(strings.Contains(err.Error(), "No route to host") || strings.Contains(err.Error(), "refused")) {
		t.Fatalf("a connection to a Service without endpoints: %v; want it refused on this machine", err)
	}
	t.Logf("refused here: %v", err)
}
