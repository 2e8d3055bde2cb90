package manifests_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// The Route 53 component (deploy/addons/external-dns/route53) points
// ExternalDNS at the environment's public zone with the IAM role Terraform
// made for exactly this ServiceAccount, and leaves every value a cluster
// must give marked; the Deployment reads the provider's settings from the
// ConfigMap the component (or the test cluster) gives.
func TestExternalDNSOnAWSWritesRoute53(t *testing.T) {
	tb := box(t)
	rendered, objs := renderComposed(t, []string{tb.Path("deploy", "addons", "external-dns")}, tb.Path("deploy", "addons", "external-dns", "route53"))
	provider := externalDNSProvider(t, objs)
	if got := provider.Str("data", "EXTERNAL_DNS_PROVIDER"); got != "aws" {
		t.Errorf("provider %q, want aws", got)
	}
	if got := provider.Str("data", "EXTERNAL_DNS_AWS_ZONE_TYPE"); got != "public" {
		t.Errorf("zone type %q, want public", got)
	}
	// infra/terraform/modules/environment/main.tf trusts one account.
	tf, err := os.ReadFile(tb.Path("infra", "terraform", "modules", "environment", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`external_dns_service_account\s*=\s*\{\s*namespace\s*=\s*"([^"]+)",\s*name\s*=\s*"([^"]+)"`).FindSubmatch(tf)
	if m == nil {
		t.Fatal("no external_dns_service_account in the environment module")
	}
	var account *manifestcheck.Object
	for _, o := range manifestcheck.OfKind(objs, "ServiceAccount") {
		if o.Namespace() == string(m[1]) && o.Name() == string(m[2]) {
			account = &o
		}
	}
	if account == nil {
		t.Fatalf("no ServiceAccount %s/%s, which Terraform's role trusts", m[1], m[2])
	}
	if account.Str("metadata", "annotations", "eks.amazonaws.com/role-arn") == "" {
		t.Error("ExternalDNS' ServiceAccount has no IAM role")
	}
	if got := strings.Count(string(rendered), "REPLACE-with-"); got != 5 {
		t.Errorf("%d values marked for the cluster to give, want 5 (role, zone name and id, owner, region)", got)
	}
	deployment := manifestcheck.FindIn(objs, "Deployment", "external-dns", "external-dns")
	if deployment == nil {
		t.Fatal("no Deployment external-dns/external-dns")
	}
	readsProvider := false
	for _, c := range deployment.Containers() {
		for _, from := range c.List("envFrom") {
			if m, ok := from.(map[string]any); ok && manifestcheck.Object(m).Str("configMapRef", "name") == "external-dns-provider" {
				readsProvider = true
			}
		}
	}
	if !readsProvider {
		t.Error("the Deployment does not read the ConfigMap external-dns-provider")
	}
	if got := deployment.Str("spec", "template", "spec", "serviceAccountName"); got != string(m[2]) {
		t.Errorf("the Deployment runs as %q, want %s", got, m[2])
	}
}

// The test cluster writes into the edge's BIND (test/cluster/addons/
// external-dns.yaml) the zone the test overlay's host is in, with the key
// dns.sh makes, and lists the zone by transfer: without it ExternalDNS
// cannot find the records it owns and would never delete one.
func TestExternalDNSInTheTestClusterWritesTheEdgeZone(t *testing.T) {
	tb := box(t)
	raw, err := os.ReadFile(tb.Path("test", "cluster", "addons", "external-dns.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := manifestcheck.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	provider := externalDNSProvider(t, objs)
	for k, want := range map[string]string{
		"EXTERNAL_DNS_PROVIDER":             "rfc2136",
		"EXTERNAL_DNS_RFC2136_HOST":         "10.251.0.1",
		"EXTERNAL_DNS_RFC2136_ZONE":         "shipshape.test",
		"EXTERNAL_DNS_DOMAIN_FILTER":        "shipshape.test",
		"EXTERNAL_DNS_RFC2136_AXFR":         "true",
		"EXTERNAL_DNS_RFC2136_TSIG_KEYNAME": "externaldns",
	} {
		if got := provider.Str("data", k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	_, apps := renderDir(t, tb.Path("test", "cluster", "overlay"))
	var published []string
	for _, o := range manifestcheck.OfKind(apps, "Ingress") {
		if h := o.Str("metadata", "annotations", "external-dns.kubernetes.io/hostname"); h != "" {
			published = append(published, h)
		}
	}
	if len(published) != 1 || !strings.HasSuffix(published[0], ".shipshape.test") {
		t.Errorf("the test overlay asks ExternalDNS for %v, want one host in shipshape.test", published)
	}
	dns, err := os.ReadFile(tb.Path("test", "cluster", "dns", "dns.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dns), `key "externaldns"`) {
		t.Error("dns.sh makes no TSIG key externaldns")
	}
}

// externalDNSProvider returns the ConfigMap external-dns-provider, which
// the add-on's Deployment reads its provider's settings from.
func externalDNSProvider(t *testing.T, objs []manifestcheck.Object) manifestcheck.Object {
	t.Helper()
	o := manifestcheck.FindIn(objs, "ConfigMap", "external-dns", "external-dns-provider")
	if o == nil {
		t.Fatal("no ConfigMap external-dns/external-dns-provider")
	}
	return o
}
