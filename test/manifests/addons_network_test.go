package manifests_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// addonNamespaces are the namespaces the cluster add-ons run in.
var addonNamespaces = []string{"monitoring", "observability", "log-collection", "shipshape-compliance", "autoscaling", "shipshape-load", "argo-rollouts", "flux-system", "metallb-system", "traefik", "cert-manager", "external-dns", "cosign-system"}

// The paths the add-ons need (node: the test cluster's node address, with
// its API server, kubelet, release registry, the alert test's webhook receiver and the GitOps
// test's git server;
// kubernetes: the API server's ClusterIP; edge-dns: the edge's BIND). The API server calls
// metrics-server, an aggregated API, from the node.
var wantAddonPaths = func() []string {
	paths := []string{
		"prometheus -> prometheus-operator:8080/TCP",
		"prometheus -> kube-state-metrics:8080/TCP",
		"prometheus -> kube-state-metrics:8081/TCP",
		"prometheus -> alertmanager:9093/TCP",
		"prometheus -> node:10250/TCP",
		"prometheus -> postgres:8008/TCP",
		"prometheus -> postgres:9187/TCP",
		"prometheus -> gateway:9091/TCP",
		"prometheus -> web:9091/TCP",
		"prometheus -> blackbox-exporter:9115/TCP",
		"blackbox-exporter -> gateway:8080/TCP",
		"blackbox-exporter -> web:3000/TCP",
		"alertmanager -> node:19093/TCP",
		"otel-collector -> jaeger:4317/TCP",
		"prometheus -> otel-collector:8888/TCP",
		"prometheus -> otel-collector-logs:8888/TCP",
		"otel-collector-logs -> victorialogs:9428/TCP",
		"prometheus -> compliance-report:9090/TCP",
		"node -> metrics-server:10250/TCP",
		"metrics-server -> node:10250/TCP",
		"loadgen -> gateway:8080/TCP",
		"argo-rollouts -> prometheus:9090/TCP",
		"prometheus -> argo-rollouts:8090/TCP",
		"source-controller -> node:19418/TCP",
		"kustomize-controller -> source-controller:9090/TCP",
		"prometheus -> source-controller:8080/TCP",
		"prometheus -> kustomize-controller:8080/TCP",
		"prometheus -> metallb-controller:7472/TCP",
		"prometheus -> traefik:9100/TCP",
		"prometheus -> cert-manager:9402/TCP",
		"traefik -> gateway:8080/TCP",
		"traefik -> web:3000/TCP",
		"prometheus -> external-dns:7979/TCP",
		"external-dns -> edge-dns:53/UDP",
		"external-dns -> edge-dns:53/TCP",
		// the API server calls the webhook; the kind's addresses come
		// with no ports, so the node may reach its metrics port too
		"node -> policy-controller:8443/TCP",
		"node -> policy-controller:9090/TCP",
		"policy-controller -> node:5443/TCP",
		"prometheus -> policy-controller:9090/TCP",
	}
	// Every client may reach the ingress controller's entry points (the
	// node: what the load balancer forwards); inside the cluster the other
	// pods' own egress policies keep them from it, except Prometheus,
	// which may open a connection to any pod.
	for _, s := range []string{"node", "internet", "prometheus"} {
		paths = append(paths, s+" -> traefik:8000/TCP", s+" -> traefik:8443/TCP")
	}
	for _, s := range []string{"identity", "catalog", "cart", "orders"} {
		paths = append(paths, "prometheus -> "+s+":9091/TCP")
	}
	for _, s := range []string{"prometheus", "prometheus-operator", "kube-state-metrics", "otel-collector", "otel-collector-logs", "compliance-report",
		"metrics-server", "vpa-recommender", "argo-rollouts", "source-controller", "kustomize-controller", "metallb-controller", "traefik", "cert-manager", "external-dns", "policy-controller"} {
		paths = append(paths, s+" -> node:6443/TCP", s+" -> kubernetes:443/TCP")
	}
	// the traced apps send their spans
	for _, s := range []string{"identity", "catalog", "cart", "orders", "gateway", "web", "postgres"} {
		paths = append(paths, s+" -> otel-collector:4317/TCP", s+" -> otel-collector:4318/TCP")
	}
	addonPods := []string{"prometheus", "alertmanager", "prometheus-operator", "kube-state-metrics", "blackbox-exporter",
		"otel-collector", "otel-collector-logs", "jaeger", "victorialogs", "metrics-server", "vpa-recommender", "loadgen", "argo-rollouts",
		"source-controller", "kustomize-controller", "metallb-controller", "metallb-speaker", "traefik", "cert-manager", "external-dns", "policy-controller"}
	for _, ns := range addonNamespaces {
		if ns != "shipshape-compliance" { // the reporter reaches the API server by address
			addonPods = append(addonPods, "debug-"+ns)
		}
	}
	for _, s := range addonPods {
		paths = append(paths, s+" -> kube-dns:53/UDP", s+" -> kube-dns:53/TCP")
	}
	sort.Strings(paths)
	return paths
}()

// renderAddons renders every add-on with the test cluster's egress
// component, as deploy.sh applies them (deploy/addons/addons.sh).
func renderAddons(t *testing.T) []manifestcheck.Object {
	t.Helper()
	tb := box(t)
	envs, err := filepath.Glob(tb.Path("deploy", "addons", "*", "addon.env"))
	if err != nil || len(envs) == 0 {
		t.Fatalf("no add-ons found: %v", err)
	}
	var dirs []string
	for _, env := range envs {
		dirs = append(dirs, filepath.Dir(env))
	}
	_, objs := renderComposed(t, dirs, tb.Path("test", "cluster", "egress"))
	return objs
}

// TestAddonNetworkPaths evaluates the add-ons' NetworkPolicies together
// with the traced test-cluster apps': every connection into or out of the
// add-on namespaces, among the add-ons' pods, the apps' pods, a pod no
// policy names in each add-on namespace ("debug-<namespace>"), cluster DNS,
// the node (API server, kubelet, the alert test's webhook), the API
// server's ClusterIP and the internet: exactly wantAddonPaths may connect.
func TestAddonNetworkPaths(t *testing.T) {
	addons := renderAddons(t)
	_, apps := renderDir(t, box(t).Path("test", "cluster", "overlay-traced"))
	nsLabels := map[string]map[string]string{}
	for _, o := range append(slices.Clone(addons), apps...) {
		if o.Kind() == "Namespace" {
			labels := map[string]string{"kubernetes.io/metadata.name": o.Name()}
			for k, v := range o.Map("metadata", "labels") {
				labels[k] = fmt.Sprint(v)
			}
			nsLabels[o.Name()] = labels
		}
	}
	for _, ns := range addonNamespaces {
		if nsLabels[ns] == nil {
			t.Fatalf("no add-on creates the namespace %s", ns)
		}
	}
	var pods []manifestcheck.Endpoint
	for _, o := range append(slices.Clone(addons), apps...) {
		// the apps' CronJobs' paths are TestNetworkPaths'; the load
		// generator's Jobs come from an add-on's CronJob
		cronJob := o.Kind() == "CronJob" && slices.Contains(addonNamespaces, o.Namespace())
		switch {
		case o.Kind() == "Deployment", o.Kind() == "StatefulSet", o.Kind() == "DaemonSet", cronJob:
			pods = append(pods, manifestcheck.WorkloadEndpoint(o, nsLabels[o.Namespace()]))
		}
	}
	// The operator's pods, as it labels them.
	operated := func(name string, ports map[string]int) manifestcheck.Endpoint {
		return manifestcheck.Endpoint{Name: name, Namespace: "monitoring", NamespaceLabels: nsLabels["monitoring"],
			Labels: map[string]string{"app.kubernetes.io/name": name}, Ports: ports}
	}
	alertmanager := operated("alertmanager", map[string]int{"web": 9093, "mesh-tcp": 9094})
	pods = append(pods, operated("prometheus", map[string]int{"web": 9090}), alertmanager)
	sources := slices.Clone(pods)
	for _, ns := range addonNamespaces {
		sources = append(sources, manifestcheck.Endpoint{Name: "debug-" + ns, Namespace: ns, NamespaceLabels: nsLabels[ns],
			Labels: map[string]string{"app.kubernetes.io/name": "debug"}})
	}
	dns := manifestcheck.Endpoint{Name: "kube-dns", Namespace: "kube-system",
		NamespaceLabels: map[string]string{"kubernetes.io/metadata.name": "kube-system"},
		Labels:          map[string]string{"k8s-app": "kube-dns"}, Ports: map[string]int{"dns": 53, "dns-tcp": 53}}
	node := manifestcheck.Endpoint{Name: "node", IP: "10.250.0.1"}
	kubernetes := manifestcheck.Endpoint{Name: "kubernetes", IP: "10.96.0.1"}
	internet := manifestcheck.Endpoint{Name: "internet", IP: "203.0.113.10"}
	edgeDNS := manifestcheck.Endpoint{Name: "edge-dns", IP: "10.251.0.1"}
	sources = append(sources, node, internet)
	var targets []pathTarget
	for _, p := range pods {
		for _, n := range p.Ports {
			targets = append(targets, pathTarget{p, n, "TCP"})
		}
	}
	targets = append(targets, pathTarget{alertmanager, 9094, "UDP"},
		pathTarget{dns, 53, "UDP"}, pathTarget{dns, 53, "TCP"},
		pathTarget{node, 6443, "TCP"}, pathTarget{node, 10250, "TCP"}, pathTarget{node, 19093, "TCP"}, pathTarget{node, 19418, "TCP"}, pathTarget{node, 5443, "TCP"},
		pathTarget{kubernetes, 443, "TCP"}, pathTarget{internet, 443, "TCP"},
		pathTarget{edgeDNS, 53, "UDP"}, pathTarget{edgeDNS, 53, "TCP"})
	inAddons := func(e manifestcheck.Endpoint) bool { return slices.Contains(addonNamespaces, e.Namespace) }
	// the apps' own paths are TestNetworkPaths'
	governed := func(from, to manifestcheck.Endpoint) bool { return inAddons(from) || inAddons(to) }
	policies := manifestcheck.OfKind(append(slices.Clone(addons), apps...), "NetworkPolicy")
	checkPaths(t, wantAddonPaths, allowedPaths(policies, sources, targets, governed))
}

// TestAddonEgressNeedsAddresses: each add-on policy that names a kind of
// destination (shipshape.dev/egress) or source (shipshape.dev/ingress)
// allows nothing by itself, and the test cluster's component gives every
// such kind its addresses, so no kind is left open or shut by accident.
func TestAddonEgressNeedsAddresses(t *testing.T) {
	tb := box(t)
	raw, err := os.ReadFile(tb.Path("test", "cluster", "egress", "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	directions := []string{"egress", "ingress"}
	for _, o := range renderAddons(t) {
		for _, dir := range directions {
			kind := o.Map("metadata", "labels")["shipshape.dev/"+dir]
			if o.Kind() != "NetworkPolicy" || kind == nil {
				continue
			}
			if !strings.Contains(string(raw), fmt.Sprintf("labelSelector: shipshape.dev/%s=%s\n", dir, kind)) {
				t.Errorf("%s/%s: the test cluster names no addresses for %s kind %q", o.Namespace(), o.Name(), dir, kind)
			}
		}
	}
	envs, err := filepath.Glob(tb.Path("deploy", "addons", "*", "addon.env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range envs {
		_, objs := renderDir(t, filepath.Dir(env))
		for _, p := range manifestcheck.OfKind(objs, "NetworkPolicy") {
			for _, dir := range directions {
				if p.Map("metadata", "labels")["shipshape.dev/"+dir] != nil && len(p.List("spec", dir)) != 0 {
					t.Errorf("%s/%s allows %s before a cluster names its addresses", p.Namespace(), p.Name(), dir)
				}
			}
		}
	}
}
