//go:build cluster

package nodes_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// The shop as production runs it (test/nodes/overlay, deployed by
// test-nodes.sh): what these tests read of it from the API.
const shop = "shipshape"

// shopState is where the shop's ready pods run: each Deployment's and the
// PostgreSQL members' pods by node, Patroni's leader and synchronous
// standby, and each member's node; and what keeps the shop from
// production's shape.
type shopState struct {
	apps                map[string]map[string][]string
	leader, syncStandby string
	memberNode          map[string]string
	deployments         []string
	// problems: fewer than three ready replicas of a Deployment, or not
	// three healthy PostgreSQL members on three nodes with a synchronous
	// standby
	problems []string
	// unspread: the Deployments whose three share a node (after a drain or
	// a loss, until a rollout spreads them again)
	unspread []string
}

// placements describes where the named workloads' ready pods are.
func (s shopState) placements(names []string) string {
	var out []string
	for _, n := range names {
		out = append(out, fmt.Sprintf("%s: on %d nodes %v", n, len(s.apps[n]), s.apps[n]))
	}
	return strings.Join(out, "; ")
}

// readShop reads the shop's placement from the API and Patroni.
func readShop(t *testing.T) shopState {
	t.Helper()
	s := shopState{apps: map[string]map[string][]string{}, memberNode: map[string]string{}}
	for _, d := range strings.Fields(clustertest.Kubectl(t, shop, "get", "deployments", "-o", "jsonpath={.items[*].metadata.name}")) {
		s.deployments = append(s.deployments, d)
		p := placement(t, shop, "app.kubernetes.io/name="+d)
		s.apps[d] = p
		if ready(p) != 3 {
			s.problems = append(s.problems, fmt.Sprintf("%s: %d ready %v", d, ready(p), p))
		} else if len(p) != 3 {
			s.unspread = append(s.unspread, d)
		}
	}
	members := placement(t, shop, "app.kubernetes.io/name=postgres,app.kubernetes.io/component=database")
	s.apps["postgres"] = members
	if len(members) != 3 || ready(members) != 3 {
		s.problems = append(s.problems, fmt.Sprintf("postgres: %d ready on %d nodes %v", ready(members), len(members), members))
	}
	for node, pods := range members {
		for _, p := range pods {
			s.memberNode[p] = node
		}
	}
	ok := false
	for m := range s.memberNode {
		// any member can tell; one that is away or starting cannot
		if s.leader, s.syncStandby, ok = clustertest.HealthyMembers(clustertest.PatroniMembers(m), 3, true); ok {
			break
		}
	}
	if !ok {
		s.problems = append(s.problems, "Patroni: not three healthy members with a synchronous standby")
	}
	return s
}

// steadyShop waits until the shop has production's shape and returns it:
// after deploy.sh the HPAs take the Deployments from one replica to three.
// A Deployment whose replicas share a node after a drain or a node's loss
// (nothing moves a running pod back) is restarted, as an operator would
// after the maintenance: the new ReplicaSet's pods spread one per node.
func steadyShop(t *testing.T) shopState {
	t.Helper()
	wait := func(spread bool) shopState {
		var s shopState
		clustertest.Poll(t, 5*time.Minute, 2*time.Second, "the shop in production's shape", func() error {
			s = readShop(t)
			if len(s.problems) > 0 {
				return fmt.Errorf("%s", strings.Join(s.problems, "; "))
			}
			if spread && len(s.unspread) > 0 {
				return fmt.Errorf("%s", s.placements(s.unspread))
			}
			return nil
		})
		return s
	}
	s := wait(false)
	if len(s.unspread) == 0 {
		return s
	}
	t.Logf("spreading again: %s", s.placements(s.unspread))
	for _, d := range s.unspread {
		clustertest.Kubectl(t, shop, "rollout", "restart", "deployment/"+d)
	}
	return wait(true)
}

// Production's high availability, read from the API on three real nodes:
// three replicas of every Deployment (the HPAs' minimum), each on a node
// of its own, so in a zone of its own, and three PostgreSQL members on
// three nodes, one leading, one its synchronous standby.
func TestShopSpreadsOverTheNodes(t *testing.T) {
	s := steadyShop(t)
	zone := map[string]string{}
	for _, n := range nodes(t) {
		zone[n.Name] = n.Zone
	}
	for _, app := range slices.Sorted(maps.Keys(s.apps)) {
		zones := map[string]bool{}
		for node := range s.apps[app] {
			zones[zone[node]] = true
		}
		if len(zones) != 3 {
			t.Errorf("%s spans %d zones, want 3: %v", app, len(zones), s.apps[app])
		}
		t.Logf("%-9s %v", app, s.apps[app])
	}
	if len(s.deployments) != 6 {
		t.Errorf("%d Deployments, want the shop's 6: %v", len(s.deployments), s.deployments)
	}
	t.Logf("Patroni: leader %s on %s, synchronous standby %s on %s", s.leader, s.memberNode[s.leader], s.syncStandby, s.memberNode[s.syncStandby])
	logNodeUse(t)
}

// logNodeUse logs each node's pods (every namespace's, not finished) and
// the sum of their requests against what the node offers, figures for
// docs/kubernetes.md. Every node is this one machine, so each offers all
// of its CPUs and memory.
func logNodeUse(t *testing.T) {
	t.Helper()
	var list struct{ Items []map[string]any }
	if err := json.Unmarshal([]byte(clustertest.Kubectl(t, "", "get", "pods", "--all-namespaces", "-o", "json")), &list); err != nil {
		t.Fatal(err)
	}
	pods := map[string]int{}
	requests := map[string]manifestcheck.Resources{}
	for _, item := range list.Items {
		pod := manifestcheck.Object(item)
		node, phase := pod.Str("spec", "nodeName"), pod.Str("status", "phase")
		if node == "" || phase == "Succeeded" || phase == "Failed" {
			continue
		}
		r, err := manifestcheck.PodResources(pod, "requests")
		if err != nil {
			t.Fatal(err)
		}
		pods[node]++
		requests[node] = requests[node].Add(r)
	}
	var nodeList struct{ Items []map[string]any }
	if err := json.Unmarshal([]byte(clustertest.Kubectl(t, "", "get", "nodes", "-o", "json")), &nodeList); err != nil {
		t.Fatal(err)
	}
	for _, item := range nodeList.Items {
		n := manifestcheck.Object(item)
		cpu, _ := manifestcheck.ParseQuantity(n.Get("status", "allocatable", "cpu"))
		mem, _ := manifestcheck.ParseQuantity(n.Get("status", "allocatable", "memory"))
		r := requests[n.Name()]
		t.Logf("%s: %d pods requesting %s CPU and %s GiB of %.2f CPU and %.2f GiB allocatable",
			n.Name(), pods[n.Name()], r.CPU(), r.Mem(), cpu, mem/(1<<30))
	}
}

// shopLoad sends the shop's product listing through the gateway's Service
// from this machine, paced so that the gateway's per-client limit (20 a
// second on the listing, per gateway pod) never answers 429: every
// request must succeed through a drain or after a node's loss.
func shopLoad(t *testing.T) *clustertest.Load {
	t.Helper()
	url := clustertest.ServiceURL(t, shop, "gateway", 8080) + "/api/v1/products?pageSize=1"
	clustertest.Poll(t, 30*time.Second, 500*time.Millisecond, "the shop to answer", func() error {
		_, err := clustertest.Get(url)
		return err
	})
	load := clustertest.StartLoad(2, clustertest.Target{URL: url, Once: true, Pace: 100 * time.Millisecond})
	t.Cleanup(load.Stop)
	return load
}

// evict asks the API to evict a pod, as a drain does; the error carries
// the API server's refusal.
func evict(ns, pod string) error {
	eviction := fmt.Sprintf(`{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":%q,"namespace":%q}}`, pod, ns)
	out, err := clustertest.KubectlIn(ns, eviction, "create", "--raw", "/api/v1/namespaces/"+ns+"/pods/"+pod+"/eviction", "-f", "-")
	if err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(out))
	}
	return nil
}
