package manifests_test

import (
	"fmt"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"slices"
	"sort"
	"testing"
)

// The paths the system needs, and therefore the only ones the network
// policies may allow (source -> destination:port/protocol).
var wantPaths = func() []string {
	paths := []string{
		"ingress-controller -> web:3000/TCP",
		"ingress-controller -> gateway:8080/TCP",
		"web -> gateway:8080/TCP",
		"cart -> catalog:9090/TCP",
		"orders -> catalog:9090/TCP",
		"orders -> cart:9090/TCP",
		// the service-token exchange (docs/adr/0014)
		"orders -> identity:9090/TCP",
		"cart -> identity:9090/TCP",
		// metrics (the Kubernetes API and the backup repository, outside
		// the cluster: TestEgressOutsideTheCluster)
		"prometheus -> postgres:8008/TCP",
		"prometheus -> postgres:9187/TCP",
		"prometheus -> gateway:9091/TCP",
		"prometheus -> web:9091/TCP",
		// synthetic probes of the public ports
		"blackbox-exporter -> gateway:8080/TCP",
		"blackbox-exporter -> web:3000/TCP",
		// a blue-green release's smoke journey, against the preview
		"storefront-smoke -> web:3000/TCP",
	}
	services := []string{"identity", "catalog", "cart", "orders"}
	for _, s := range services {
		paths = append(paths,
			"gateway -> "+s+":8080/TCP",
			s+" -> postgres:5432/TCP",
			"prometheus -> "+s+":9091/TCP")
		if s != "identity" {
			paths = append(paths, s+" -> identity:8080/TCP") // the JWKS
		}
	}
	// Every pod in the namespace resolves names, even one nobody allowed
	// anything else.
	for _, s := range append(services, "web", "gateway", "postgres", "debug", "storefront-smoke") {
		paths = append(paths, s+" -> kube-dns:53/UDP", s+" -> kube-dns:53/TCP")
	}
	sort.Strings(paths)
	return paths
}()

// policyOverlays are the overlays with the network-policies component:
// staging, production, and the test cluster's, which proves them for real.
var policyOverlays = []string{"staging", "production", "test-cluster"}

// TestNetworkPaths evaluates the rendered NetworkPolicies for every
// connection between the workloads, a pod no policy names ("debug"), the
// ingress controller, Prometheus, the synthetic prober, cluster DNS and an
// address on the internet: exactly wantPaths may connect.
func TestNetworkPaths(t *testing.T) {
	for _, overlay := range policyOverlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			ns := manifestcheck.Find(objs, "Namespace", "shipshape")
			nsLabels := map[string]string{"kubernetes.io/metadata.name": "shipshape"}
			for k, v := range ns.Map("metadata", "labels") {
				nsLabels[k] = fmt.Sprint(v)
			}
			var pods []manifestcheck.Endpoint
			for _, o := range objs {
				if o.Kind() == "Deployment" || o.Kind() == "StatefulSet" {
					pods = append(pods, manifestcheck.WorkloadEndpoint(o, nsLabels))
				}
			}
			if len(pods) != 7 {
				t.Fatalf("want 7 workloads, got %d", len(pods))
			}
			outside := func(name, namespace string, labels map[string]string) manifestcheck.Endpoint {
				return manifestcheck.Endpoint{Name: name, Namespace: namespace, Labels: labels,
					NamespaceLabels: map[string]string{"kubernetes.io/metadata.name": namespace}}
			}
			dns := outside("kube-dns", "kube-system", map[string]string{"k8s-app": "kube-dns"})
			dns.Ports = map[string]int{"dns": 53, "dns-tcp": 53}
			internet := manifestcheck.Endpoint{Name: "internet", IP: "203.0.113.10"}
			sources := append(slices.Clone(pods),
				manifestcheck.Endpoint{Name: "debug", Namespace: "shipshape", NamespaceLabels: nsLabels,
					Labels: map[string]string{"app.kubernetes.io/name": "debug"}},
				// a Job's pod of the progressive-delivery component, named by its label
				manifestcheck.Endpoint{Name: "storefront-smoke", Namespace: "shipshape", NamespaceLabels: nsLabels,
					Labels: map[string]string{"app.kubernetes.io/name": "storefront-smoke"}},
				outside("ingress-controller", "traefik", map[string]string{"app.kubernetes.io/name": "traefik"}),
				outside("prometheus", "monitoring", map[string]string{"app.kubernetes.io/name": "prometheus"}),
				outside("blackbox-exporter", "monitoring", map[string]string{"app.kubernetes.io/name": "blackbox-exporter"}),
				dns, internet)
			var targets []pathTarget
			for _, p := range pods {
				for _, n := range p.Ports {
					targets = append(targets, pathTarget{p, n, "TCP"})
				}
			}
			targets = append(targets, pathTarget{dns, 53, "UDP"}, pathTarget{dns, 53, "TCP"}, pathTarget{internet, 443, "TCP"})
			// only connections our policies govern
			governed := func(from, to manifestcheck.Endpoint) bool {
				return from.Namespace == "shipshape" || to.Namespace == "shipshape"
			}
			checkPaths(t, wantPaths, allowedPaths(manifestcheck.OfKind(objs, "NetworkPolicy"), sources, targets, governed))
		})
	}
}

// pathTarget is a destination port a connection may be tried to.
type pathTarget struct {
	to       manifestcheck.Endpoint
	port     int
	protocol string
}

// allowedPaths evaluates the policies for every connection from a source
// to a target (other than to itself) that governed selects, and returns the
// allowed ones, sorted, each once.
func allowedPaths(policies []manifestcheck.Object, sources []manifestcheck.Endpoint, targets []pathTarget,
	governed func(from, to manifestcheck.Endpoint) bool) []string {
	var got []string
	for _, from := range sources {
		for _, tg := range targets {
			if from.Name == tg.to.Name || !governed(from, tg.to) {
				continue
			}
			c := manifestcheck.Connection{From: from, To: tg.to, Port: tg.port, Protocol: tg.protocol}
			if manifestcheck.NetworkAllowed(policies, c) && !slices.Contains(got, c.String()) {
				got = append(got, c.String())
			}
		}
	}
	sort.Strings(got)
	return got
}

// checkPaths reports every needed path that is blocked and every allowed
// one that is not needed.
func checkPaths(t *testing.T, want, got []string) {
	t.Helper()
	for _, p := range want {
		if !slices.Contains(got, p) {
			t.Errorf("blocked, but needed: %s", p)
		}
	}
	for _, p := range got {
		if !slices.Contains(want, p) {
			t.Errorf("allowed, but not needed: %s", p)
		}
	}
}
