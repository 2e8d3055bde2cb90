//go:build cluster

// Package externaldns_test checks the edge's DNS in the test cluster (the
// external-dns add-on with the edge's: metallb, cert-manager, traefik):
// ExternalDNS writes the Ingresses' hosts into the edge network's BIND
// (test/cluster/dns/dns.sh), and a client outside the cluster finds the
// shop by name.
package externaldns_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// host is the test overlay's Ingress host (test/cluster/overlay), the
// storefront's and the public API's (/api/v1): one host, three Ingresses.
const host = "shop.shipshape.test"

// owner is the TXT registry's owner id of this cluster
// (test/cluster/addons/external-dns.yaml).
const owner = "shipshape-test-cluster"

// lookup resolves name's addresses through r, sorted; an empty list for
// a name the zone does not have.
func lookup(r *net.Resolver, name string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addrs, err := r.LookupHost(ctx, name)
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return nil, nil
	}
	slices.Sort(addrs)
	return addrs, err
}

// waitResolves waits until name resolves to exactly want (none: the name
// is gone) and returns how long that took.
func waitResolves(t *testing.T, r *net.Resolver, name string, want ...string) time.Duration {
	t.Helper()
	start := time.Now()
	clustertest.Poll(t, 2*time.Minute, 500*time.Millisecond, fmt.Sprintf("%s -> %v", name, want), func() error {
		got, err := lookup(r, name)
		if err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("resolves to %v", got)
		}
		return nil
	})
	return time.Since(start).Round(100 * time.Millisecond)
}

// The shop's host resolves, through the edge network's DNS server, to the
// address MetalLB gave the ingress controller: a record ExternalDNS made
// from the Ingress (nothing else writes the zone; its TXT record beside it
// names this cluster as the owner and the Ingress as the source). A client
// on the edge network then connects to the address it resolved and
// completes TLS with the certificate cert-manager issued, verified against
// the test CA alone, for the storefront and the API.
func TestTheShopIsFoundByNameFromOutside(t *testing.T) {
	edge := clustertest.TheEdge(t)
	resolver := edge.Resolver(t)
	took := waitResolves(t, resolver, host, edge.IP.String())
	t.Logf("%s -> %s through the edge's DNS server (waited %s)", host, edge.IP, took)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	txt, err := resolver.LookupTXT(ctx, "a-"+host)
	if err != nil {
		t.Fatalf("the ownership record of %s: %v", host, err)
	}
	want := "external-dns/owner=" + owner
	if len(txt) != 1 || !strings.Contains(txt[0], want) || !strings.Contains(txt[0], "external-dns/resource=ingress/shipshape/shipshape") {
		t.Errorf("TXT a-%s = %q, want the owner %s and the Ingress shipshape/shipshape", host, txt, owner)
	}

	// the address it resolved (waitResolves: exactly the load balancer's)
	client := edge.Client("")
	for _, path := range []string{"/", "/api/v1/categories"} {
		resp, err := client.Get("https://" + host + path)
		if err != nil {
			t.Fatalf("GET https://%s%s at the resolved %s: %v", host, path, edge.IP, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(resp.TLS.PeerCertificates) == 0 {
			t.Fatalf("GET https://%s%s: status %d", host, path, resp.StatusCode)
		}
		leaf := resp.TLS.PeerCertificates[0]
		t.Logf("GET https://%s%s at %s: %d, certificate for %v from %q", host, path, edge.IP, resp.StatusCode, leaf.DNSNames, leaf.Issuer.CommonName)
	}
}

// operator changes the zone by hand, as a person with the zone's other key
// would (nsupdate with the operator's TSIG key, dns.sh).
type operator struct {
	t      *testing.T
	server string
	key    string
}

func newOperator(t *testing.T) operator {
	secret, err := os.ReadFile(filepath.Join(clustertest.State(t), "pki", "dns-operator.tsig"))
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(t.TempDir(), "operator.key")
	if err := os.WriteFile(key, fmt.Appendf(nil, "key \"operator\" { algorithm hmac-sha256; secret \"%s\"; };\n", secret), 0o600); err != nil {
		t.Fatal(err)
	}
	return operator{t: t, server: clustertest.Env(t, "SHIPSHAPE_EDGE_DNS"), key: key}
}

// update sends one dynamic update of the lines given (nsupdate's syntax).
func (o operator) update(lines ...string) {
	o.t.Helper()
	host, port, _ := net.SplitHostPort(o.server)
	script := fmt.Sprintf("server %s %s\nzone %s\n%s\nsend\n", host, port, clustertest.Env(o.t, "SHIPSHAPE_EDGE_ZONE"), strings.Join(lines, "\n"))
	cmd := exec.Command("nsupdate", "-k", o.key)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		o.t.Fatalf("nsupdate %q: %v: %s", lines, err, out)
	}
}

// ExternalDNS follows the Ingress' hosts and touches nothing else: a new
// Ingress' hosts get records, a host taken off the Ingress loses its
// record (and the ownership record beside it), the Ingress deleted loses
// the rest. Records made by hand stay as they are throughout, also one
// at a name the Ingress asks for: ExternalDNS does not own it, so it
// neither adds its address to it nor deletes it.
func TestRecordsFollowTheIngressesAndLeaveOthersAlone(t *testing.T) {
	edge := clustertest.TheEdge(t)
	resolver := edge.Resolver(t)
	zone := clustertest.Env(t, "SHIPSHAPE_EDGE_ZONE")
	manual, taken, a, b := "manual."+zone, "taken."+zone, "probe-a."+zone, "probe-b."+zone
	// addresses the harness owns: the edge link's network, outside MetalLB's pool
	const manualIP, takenIP = "10.251.0.77", "10.251.0.78"
	op := newOperator(t)
	op.update("update add "+manual+" 300 A "+manualIP, "update add "+taken+" 300 A "+takenIP)
	t.Cleanup(func() {
		clustertest.KubectlIn("shipshape", "", "delete", "ingress", "dns-probe", "--ignore-not-found")
		op.update("update delete "+manual+" A", "update delete "+taken+" A")
	})
	handMade := func(when string) {
		t.Helper()
		for name, want := range map[string]string{manual: manualIP, taken: takenIP} {
			if got, err := lookup(resolver, name); err != nil || !slices.Equal(got, []string{want}) {
				t.Errorf("%s: the hand-made %s resolves to %v (%v), want [%s] untouched", when, name, got, err, want)
			}
		}
	}

	ingress := func(hosts ...string) string {
		return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: dns-probe
  namespace: shipshape
  annotations:
    external-dns.kubernetes.io/hostname: %s
spec:
  ingressClassName: traefik
  rules:
    - host: %s
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {name: http}}}
`, strings.Join(hosts, ","), hosts[0])
	}
	apply := func(hosts ...string) {
		t.Helper()
		if out, err := clustertest.KubectlIn("shipshape", ingress(hosts...), "apply", "-f", "-"); err != nil {
			t.Fatalf("applying the Ingress dns-probe for %v: %v: %s", hosts, err, out)
		}
	}

	apply(a, b, taken)
	ip := edge.IP.String()
	t.Logf("Ingress dns-probe for %s, %s, %s: %s resolves after %s, %s after %s", a, b, taken,
		a, waitResolves(t, resolver, a, ip), b, waitResolves(t, resolver, b, ip))
	handMade("with the Ingress asking for " + taken)

	apply(a, taken)
	t.Logf("%s taken off the Ingress: its record gone after %s", b, waitResolves(t, resolver, b))
	if got, err := lookup(resolver, a); err != nil || !slices.Equal(got, []string{ip}) {
		t.Errorf("%s, still on the Ingress, resolves to %v (%v)", a, got, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if txt, err := resolver.LookupTXT(ctx, "a-"+b); err == nil {
		t.Errorf("the ownership record of %s is left: %q", b, txt)
	}

	clustertest.Kubectl(t, "shipshape", "delete", "ingress", "dns-probe")
	t.Logf("Ingress deleted: %s gone after %s", a, waitResolves(t, resolver, a))
	handMade("after the Ingress was deleted")
	if got, err := lookup(resolver, host); err != nil || !slices.Equal(got, []string{ip}) {
		t.Errorf("the shop's %s resolves to %v (%v) after another Ingress was deleted", host, got, err)
	}
}
