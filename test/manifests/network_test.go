package manifests

import (
	"fmt"
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
	for _, s := range append(services, "web", "gateway", "postgres", "debug") {
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
// ingress controller, Prometheus, cluster DNS and an address on the
// internet: exactly wantPaths may connect.
func TestNetworkPaths(t *testing.T) {
	for _, overlay := range policyOverlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			ns := Find(objs, "Namespace", "shipshape")
			nsLabels := map[string]string{"kubernetes.io/metadata.name": "shipshape"}
			for k, v := range ns.Map("metadata", "labels") {
				nsLabels[k] = fmt.Sprint(v)
			}
			var pods []Endpoint
			for _, o := range objs {
				if o.Kind() == "Deployment" || o.Kind() == "StatefulSet" {
					pods = append(pods, WorkloadEndpoint(o, nsLabels))
				}
			}
			if len(pods) != 7 {
				t.Fatalf("want 7 workloads, got %d", len(pods))
			}
			outside := func(name, namespace string, labels map[string]string) Endpoint {
				return Endpoint{Name: name, Namespace: namespace, Labels: labels,
					NamespaceLabels: map[string]string{"kubernetes.io/metadata.name": namespace}}
			}
			dns := outside("kube-dns", "kube-system", map[string]string{"k8s-app": "kube-dns"})
			dns.Ports = map[string]int{"dns": 53, "dns-tcp": 53}
			internet := Endpoint{Name: "internet", IP: "203.0.113.10"}
			sources := append(slices.Clone(pods),
				Endpoint{Name: "debug", Namespace: "shipshape", NamespaceLabels: nsLabels,
					Labels: map[string]string{"app.kubernetes.io/name": "debug"}},
				outside("ingress-controller", "ingress-nginx", map[string]string{"app.kubernetes.io/name": "ingress-nginx"}),
				outside("prometheus", "monitoring", map[string]string{"app.kubernetes.io/name": "prometheus"}),
				dns, internet)
			type target struct {
				to       Endpoint
				port     int
				protocol string
			}
			var targets []target
			for _, p := range pods {
				for _, n := range p.Ports {
					targets = append(targets, target{p, n, "TCP"})
				}
			}
			targets = append(targets, target{dns, 53, "UDP"}, target{dns, 53, "TCP"}, target{internet, 443, "TCP"})
			policies := OfKind(objs, "NetworkPolicy")
			var got []string
			for _, from := range sources {
				for _, tg := range targets {
					if from.Name == tg.to.Name || (from.Namespace != "shipshape" && tg.to.Namespace != "shipshape") {
						continue // only connections our policies govern
					}
					c := Connection{From: from, To: tg.to, Port: tg.port, Protocol: tg.protocol}
					if NetworkAllowed(policies, c) {
						got = append(got, c.String())
					}
				}
			}
			sort.Strings(got)
			for _, p := range wantPaths {
				if !slices.Contains(got, p) {
					t.Errorf("blocked, but needed: %s", p)
				}
			}
			for _, p := range got {
				if !slices.Contains(wantPaths, p) {
					t.Errorf("allowed, but not needed: %s", p)
				}
			}
		})
	}
}

// TestNetworkAllowedSemantics pins the evaluator on small cases.
func TestNetworkAllowedSemantics(t *testing.T) {
	objs, err := Decode([]byte(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: a}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [api]}]}}]
      ports: [{port: sql}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: a}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchLabels: {app: db}}}]
      ports: [{protocol: TCP, port: 5432}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-out, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
      ports: [{protocol: TCP, port: 443}]
`))
	if err != nil {
		t.Fatal(err)
	}
	ns := map[string]string{"kubernetes.io/metadata.name": "a"}
	api := Endpoint{Name: "api", Namespace: "a", NamespaceLabels: ns, Labels: map[string]string{"app": "api"}}
	db := Endpoint{Name: "db", Namespace: "a", NamespaceLabels: ns, Labels: map[string]string{"app": "db"}, Ports: map[string]int{"sql": 5432}}
	other := Endpoint{Name: "other", Namespace: "a", NamespaceLabels: ns, Labels: map[string]string{"app": "other"}}
	twin := Endpoint{Name: "twin", Namespace: "b", NamespaceLabels: map[string]string{"kubernetes.io/metadata.name": "b"},
		Labels: map[string]string{"app": "api"}}
	for _, c := range []struct {
		conn Connection
		want bool
	}{
		{Connection{api, db, 5432, "TCP"}, true},
		{Connection{api, db, 5433, "TCP"}, false},    // not the named port's number
		{Connection{api, db, 5432, "UDP"}, false},    // protocol defaults to TCP
		{Connection{other, db, 5432, "TCP"}, false},  // no rule names it
		{Connection{db, api, 8080, "TCP"}, false},    // default deny both ways
		{Connection{twin, db, 5432, "TCP"}, false},   // a bare podSelector is the policy's namespace only
		{Connection{api, other, 5432, "TCP"}, false}, // api's egress names db only
		{Connection{api, Endpoint{Name: "internet"}, 443, "TCP"}, false},
		{Connection{db, Endpoint{Name: "in-block", IP: "10.2.3.4"}, 443, "TCP"}, true},
		{Connection{db, Endpoint{Name: "in-block", IP: "10.2.3.4"}, 80, "TCP"}, false},
		{Connection{db, Endpoint{Name: "excepted", IP: "10.1.2.3"}, 443, "TCP"}, false},
		{Connection{db, Endpoint{Name: "outside-block", IP: "192.0.2.1"}, 443, "TCP"}, false},
		{Connection{db, other, 443, "TCP"}, false}, // an ipBlock never stands for a pod here
	} {
		if got := NetworkAllowed(OfKind(objs, "NetworkPolicy"), c.conn); got != c.want {
			t.Errorf("%s: allowed=%v, want %v", c.conn, got, c.want)
		}
	}
}
