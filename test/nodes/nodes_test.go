//go:build cluster

// Package nodes_test is the three-node suite: what only means something
// across nodes, on a test cluster started with SHIPSHAPE_NODES=3
// (test/cluster/node.sh). test/cluster/test.sh runs it when the cluster
// has more than one node.
package nodes_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// node is what the tests read of a Node from the API.
type node struct {
	Name, Zone, InternalIP, PodCIDR string
	Ready                           bool
}

// nodes lists the cluster's nodes as the API reports them.
func nodes(t *testing.T) []node {
	t.Helper()
	var list struct {
		Items []struct {
			Metadata struct {
				Name   string
				Labels map[string]string
			}
			Spec   struct{ PodCIDR string }
			Status struct {
				Addresses  []struct{ Type, Address string }
				Conditions []struct{ Type, Status string }
			}
		}
	}
	if err := json.Unmarshal([]byte(clustertest.Kubectl(t, "", "get", "nodes", "-o", "json")), &list); err != nil {
		t.Fatal(err)
	}
	var out []node
	for _, item := range list.Items {
		n := node{Name: item.Metadata.Name, Zone: item.Metadata.Labels["topology.kubernetes.io/zone"], PodCIDR: item.Spec.PodCIDR}
		for _, a := range item.Status.Addresses {
			if a.Type == "InternalIP" {
				n.InternalIP = a.Address
			}
		}
		for _, c := range item.Status.Conditions {
			if c.Type == "Ready" {
				n.Ready = c.Status == "True"
			}
		}
		out = append(out, n)
	}
	return out
}

// want is the number of nodes the cluster was started with.
func want(t *testing.T) int {
	t.Helper()
	n, err := strconv.Atoi(clustertest.Env(t, "SHIPSHAPE_NODES"))
	if err != nil || n < 3 {
		t.Fatalf("SHIPSHAPE_NODES=%q: the three-node suite needs 3 or more", clustertest.Env(t, "SHIPSHAPE_NODES"))
	}
	return n
}

// Every node registered, Ready, in a zone of its own, with its own address
// and pod network.
func TestNodesAreReadyInZonesOfTheirOwn(t *testing.T) {
	all := nodes(t)
	if len(all) != want(t) {
		t.Fatalf("%d nodes registered, want %d: %+v", len(all), want(t), all)
	}
	var zones, ips, cidrs []string
	for _, n := range all {
		t.Logf("%s: zone %s, %s, pods %s, ready %v", n.Name, n.Zone, n.InternalIP, n.PodCIDR, n.Ready)
		if !n.Ready {
			t.Errorf("%s is not Ready", n.Name)
		}
		if n.Zone == "" || n.InternalIP == "" || n.PodCIDR == "" {
			t.Errorf("%s lacks a zone, an address or a pod network: %+v", n.Name, n)
		}
		zones, ips, cidrs = append(zones, n.Zone), append(ips, n.InternalIP), append(cidrs, n.PodCIDR)
	}
	for what, values := range map[string][]string{"zone": zones, "address": ips, "pod network": cidrs} {
		if len(slices.Compact(slices.Sorted(slices.Values(values)))) != len(values) {
			t.Errorf("two nodes share a %s: %v", what, values)
		}
	}
}

// probe is a busybox pod pinned to one node.
func probe(t *testing.T, ns, name, nodeName string, labels map[string]string, command ...string) {
	t.Helper()
	spec := restrictedPod(busybox(t, "probe", command...))
	spec["nodeName"], spec["terminationGracePeriodSeconds"] = nodeName, 0
	pod := map[string]any{
		"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": labels},
		"spec":     spec,
	}
	manifest, err := json.Marshal(pod)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := clustertest.KubectlIn(ns, string(manifest), "apply", "-f", "-"); err != nil {
		t.Fatalf("create %s: %v\n%s", name, err, out)
	}
	clustertest.Kubectl(t, ns, "wait", "--for=condition=Ready", "pod/"+name, "--timeout=120s")
}

// podIP is a pod's address.
func podIP(t *testing.T, ns, name string) string {
	t.Helper()
	return clustertest.Kubectl(t, ns, "get", "pod", name, "-o", "jsonpath={.status.podIP}")
}

// dial opens a TCP connection from a pod; nil when it opened.
func dial(ns, from, host string, port int) error {
	out, err := clustertest.KubectlIn(ns, "", "exec", from, "--", "nc", "-w", "3", host, strconv.Itoa(port), "-e", "true")
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// Pods on different nodes reach each other by their own addresses
// (kube-router's routes between the nodes' pod networks, no address
// translation), and a NetworkPolicy is enforced for traffic from other
// nodes: a server on the last node that admits only pods labelled as its
// clients is reached from them on every other node, and refused to an
// unlabelled pod on those same nodes.
func TestPodTrafficCrossesNodesUnderNetworkPolicy(t *testing.T) {
	all := nodes(t)
	if len(all) < want(t) {
		t.Fatalf("%d nodes, want %d", len(all), want(t))
	}
	slices.SortFunc(all, func(a, b node) int { return compareNames(a.Name, b.Name) })
	ns := "nodes-traffic"
	clustertest.Kubectl(t, "", "create", "namespace", ns)
	t.Cleanup(func() { _, _ = clustertest.KubectlIn("", "", "delete", "namespace", ns, "--wait=false") })
	policy := `{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",
	  "metadata":{"name":"server-admits-clients"},
	  "spec":{"podSelector":{"matchLabels":{"role":"server"}},"policyTypes":["Ingress"],
	    "ingress":[{"from":[{"podSelector":{"matchLabels":{"role":"client"}}}],"ports":[{"port":8080}]}]}}`
	if out, err := clustertest.KubectlIn(ns, policy, "apply", "-f", "-"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	server := all[len(all)-1]
	probe(t, ns, "server", server.Name, map[string]string{"role": "server"},
		"nc", "-ll", "-p", "8080", "-e", "true")
	ip := podIP(t, ns, "server")
	for i, n := range all[:len(all)-1] {
		client, intruder := fmt.Sprintf("client-%d", i+1), fmt.Sprintf("intruder-%d", i+1)
		probe(t, ns, client, n.Name, map[string]string{"role": "client"}, "sleep", "3600")
		probe(t, ns, intruder, n.Name, map[string]string{"role": "intruder"}, "sleep", "3600")
		clustertest.Poll(t, 30*time.Second, time.Second, client+" on "+n.Name+" to reach the server on "+server.Name,
			func() error { return dial(ns, client, ip, 8080) })
		// refused twice in a row: kube-router applies a new pod's rules
		// within moments of its start
		clustertest.Poll(t, 30*time.Second, time.Second, intruder+" on "+n.Name+" to be refused",
			func() error {
				if dial(ns, intruder, ip, 8080) == nil || dial(ns, intruder, ip, 8080) == nil {
					return fmt.Errorf("%s reached the server", intruder)
				}
				return nil
			})
	}
}

// compareNames orders shipshape-node before shipshape-node-2 before
// shipshape-node-10.
func compareNames(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
