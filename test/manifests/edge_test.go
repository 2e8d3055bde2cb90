package manifests_test

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// The AWS component (deploy/addons/traefik/aws-nlb) turns Traefik's
// Service into a Network Load Balancer of the AWS Load Balancer Controller
// with IP targets and the client's address kept, and leaves what the base
// promises: externalTrafficPolicy Local and the web port.
func TestTraefikOnAWSGetsANetworkLoadBalancer(t *testing.T) {
	tb := box(t)
	_, objs := renderComposed(t, []string{tb.Path("deploy", "addons", "traefik")}, tb.Path("deploy", "addons", "traefik", "aws-nlb"))
	var svc *manifestcheck.Object
	for _, o := range manifestcheck.OfKind(objs, "Service") {
		if o.Namespace() == "traefik" && o.Name() == "traefik" {
			svc = &o
		}
	}
	if svc == nil {
		t.Fatal("no Service traefik/traefik rendered")
	}
	if got := svc.Str("spec", "loadBalancerClass"); got != "service.k8s.aws/nlb" {
		t.Errorf("loadBalancerClass %q, want service.k8s.aws/nlb", got)
	}
	for k, want := range map[string]string{
		"service.beta.kubernetes.io/aws-load-balancer-nlb-target-type":         "ip",
		"service.beta.kubernetes.io/aws-load-balancer-scheme":                  "internet-facing",
		"service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=true",
		"service.beta.kubernetes.io/aws-load-balancer-healthcheck-path":        "/ping",
	} {
		if got := svc.Str("metadata", "annotations", k); got != want {
			t.Errorf("annotation %s = %q, want %q", k, got, want)
		}
	}
	if got := svc.Str("spec", "externalTrafficPolicy"); got != "Local" {
		t.Errorf("externalTrafficPolicy %q, want Local (the client's address)", got)
	}
	if got := svc.Str("spec", "type"); got != "LoadBalancer" {
		t.Errorf("type %q, want LoadBalancer", got)
	}
}

// The ACME component (deploy/addons/cert-manager/letsencrypt) gives
// staging and production the ClusterIssuer their Ingress names, solving
// DNS-01 in Route 53 with the role Terraform made for the ServiceAccount
// it annotates, and leaves every value a cluster must give marked.
func TestLetsEncryptIssuerForTheIngress(t *testing.T) {
	tb := box(t)
	rendered, objs := renderComposed(t, []string{tb.Path("deploy", "addons", "cert-manager")}, tb.Path("deploy", "addons", "cert-manager", "letsencrypt"))
	_, apps := renderDir(t, tb.Path("deploy", "kubernetes", "apps", "production"))
	var named string
	for _, o := range manifestcheck.OfKind(apps, "Ingress") {
		if n := o.Str("metadata", "annotations", "cert-manager.io/cluster-issuer"); n != "" {
			named = n
		}
	}
	var issuer *manifestcheck.Object
	for _, o := range manifestcheck.OfKind(objs, "ClusterIssuer") {
		if o.Name() == named {
			issuer = &o
		}
	}
	if issuer == nil {
		t.Fatalf("no ClusterIssuer %q, which production's Ingress names", named)
	}
	solvers := issuer.List("spec", "acme", "solvers")
	if len(solvers) != 1 || manifestcheck.Object(solvers[0].(map[string]any)).Map("dns01", "route53") == nil {
		t.Errorf("the issuer's solvers %v, want DNS-01 in Route 53", solvers)
	}
	for _, o := range manifestcheck.OfKind(objs, "ServiceAccount") {
		if o.Name() == "cert-manager" && o.Str("metadata", "annotations", "eks.amazonaws.com/role-arn") == "" {
			t.Error("cert-manager's ServiceAccount has no IAM role")
		}
	}
	if got := strings.Count(string(rendered), "REPLACE-with-"); got != 3 {
		t.Errorf("%d values marked for the cluster to give, want 3 (role, region, zone)", got)
	}
}
