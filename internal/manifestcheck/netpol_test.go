package manifestcheck

import "testing"

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
		// the declared policyTypes count: a default deny with no rules at
		// all still isolates egress (the key was once misspelt, and only
		// the DNS policies beside every default deny hid it)
		{Connection{other, Endpoint{Name: "internet"}, 443, "TCP"}, false},
	} {
		if got := NetworkAllowed(OfKind(objs, "NetworkPolicy"), c.conn); got != c.want {
			t.Errorf("%s: allowed=%v, want %v", c.conn, got, c.want)
		}
	}
}
