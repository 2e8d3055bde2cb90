package compliance

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestViolationsInReadsOnlyPolicyWarnings(t *testing.T) {
	o := decode(t, `{"metadata":{"name":"web","namespace":"legacy"}}`)
	got := violationsIn(kind{Kind: "Deployment"}, o, []string{
		"Validation failed for ValidatingAdmissionPolicy 'shipshape-pod-security' with binding 'shipshape-pod-security-report': container app: readOnlyRootFilesystem must be true",
		"Validation failed for ValidatingAdmissionPolicy 'shipshape-images' with binding 'b': image nginx: a tag other than latest is required",
		"batch/v1beta1 CronJob is deprecated",
	})
	want := []Violation{
		{Namespace: "legacy", Kind: "Deployment", Name: "web", Policy: "shipshape-pod-security", Message: "container app: readOnlyRootFilesystem must be true"},
		{Namespace: "legacy", Kind: "Deployment", Name: "web", Policy: "shipshape-images", Message: "image nginx: a tag other than latest is required"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestUndefendedNamespaces(t *testing.T) {
	var policies []networkPolicy
	for _, p := range []string{
		// a: default deny
		`{"metadata":{"namespace":"a"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"]}}`,
		// b: Ingress only
		`{"metadata":{"namespace":"b"},"spec":{"podSelector":{},"policyTypes":["Ingress"]}}`,
		// c: selects some pods
		`{"metadata":{"namespace":"c"},"spec":{"podSelector":{"matchLabels":{"x":"y"}},"policyTypes":["Ingress","Egress"]}}`,
		// d: allows all ingress
		`{"metadata":{"namespace":"d"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"],"ingress":[{}]}}`,
	} {
		var np networkPolicy
		if err := json.Unmarshal([]byte(p), &np); err != nil {
			t.Fatal(err)
		}
		policies = append(policies, np)
	}
	got := undefendedNamespaces(map[string]bool{"a": true, "b": true, "c": true, "d": true, "e": true}, policies)
	sortViolations(got)
	var names []string
	for _, v := range got {
		if v.Policy != NetworkPolicyRule || v.Kind != "Namespace" || v.Name != v.Namespace {
			t.Errorf("unexpected violation %+v", v)
		}
		names = append(names, v.Namespace)
	}
	if !reflect.DeepEqual(names, []string{"b", "c", "d", "e"}) {
		t.Errorf("undefended %v, want b c d e", names)
	}
}

func TestAcceptPrefersTheObjectsReason(t *testing.T) {
	vs := []Violation{
		{Namespace: "kube-system", Kind: "DaemonSet", Name: "router", Policy: "p"},
		{Namespace: "kube-system", Kind: "Deployment", Name: "dns", Policy: "p"},
		{Namespace: "shop", Kind: "Deployment", Name: "web", Policy: "p"},
	}
	accept(vs, map[string]string{"kube-system": "the cluster's substrate"},
		map[string]string{"kube-system/DaemonSet/router": "routes the node's pods"})
	got := []string{vs[0].Accepted, vs[1].Accepted, vs[2].Accepted}
	if !reflect.DeepEqual(got, []string{"routes the node's pods", "the cluster's substrate", ""}) {
		t.Errorf("accepted %q", got)
	}
}
