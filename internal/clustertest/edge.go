package clustertest

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// Edge is the test cluster's edge as a client outside sees it (the
// metallb, cert-manager and traefik add-ons; docs/edge.md): the address
// MetalLB gave Traefik's Service, the clients' network namespace and the
// test CA (as a pool, and as PEM for programs other than Go).
type Edge struct {
	IP    netip.Addr
	Netns string
	CA    *x509.CertPool
	CAPEM []byte
}

// TheEdge waits until Traefik serves the Ingresses' host at its address
// with the certificate cert-manager issued.
func TheEdge(t testing.TB) Edge {
	t.Helper()
	pem := edgeCA(t)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in the test CA's Secret: %q", pem)
	}
	e := Edge{IP: edgeAddress(t), Netns: Env(t, "SHIPSHAPE_EDGE_NETNS"), CA: pool, CAPEM: pem}
	// Traefik loads the certificate a moment after cert-manager wrote
	// it (until then its strict SNI refuses the host: "unrecognized
	// name"), which a test right after the edge's deployment meets.
	host := Kubectl(t, "shipshape", "get", "certificate", "shipshape-tls", "-o", "jsonpath={.spec.dnsNames[0]}")
	client := e.Client("")
	Poll(t, time.Minute, 500*time.Millisecond, "Traefik serving "+host+" with its certificate", func() error {
		resp, err := client.Get("https://" + host + "/healthz")
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
	return e
}

// Client is a client of the edge at the address from ("" for the
// namespace's first) that trusts the test CA alone (EdgeClient).
func (e Edge) Client(from string) *http.Client {
	return EdgeClient(e.Netns, from, e.IP.String(), e.CA)
}

// Resolver asks the edge network's DNS server (test/cluster/dns/dns.sh,
// SHIPSHAPE_EDGE_DNS), from the clients' network namespace, whatever
// server the system's configuration names: what a client outside the
// cluster resolves the shop's host with.
func (e Edge) Resolver(t testing.TB) *net.Resolver {
	server := Env(t, "SHIPSHAPE_EDGE_DNS")
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return DialInNetns(ctx, e.Netns, "", network, server)
		},
	}
}

// edgeAddress waits for Traefik to serve and returns the address MetalLB
// gave its Service.
func edgeAddress(t testing.TB) netip.Addr {
	t.Helper()
	Kubectl(t, "metallb-system", "rollout", "status", "deployment/metallb-controller", "--timeout=120s")
	Kubectl(t, "metallb-system", "rollout", "status", "daemonset/metallb-speaker", "--timeout=120s")
	Kubectl(t, "traefik", "rollout", "status", "deployment/traefik", "--timeout=120s")
	var ip netip.Addr
	Poll(t, 2*time.Minute, time.Second, "an address for the Service traefik", func() error {
		out := strings.TrimSpace(Kubectl(t, "traefik", "get", "service", "traefik", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"))
		if out == "" {
			return errors.New("none yet")
		}
		var err error
		ip, err = netip.ParseAddr(out)
		return err
	})
	return ip
}

// edgeCA waits for the Ingresses' certificate and returns the test
// cluster's CA certificate (test/cluster/addons/cert-manager.yaml), read
// from the Secret cert-manager keeps it in.
func edgeCA(t testing.TB) []byte {
	t.Helper()
	Poll(t, 2*time.Minute, time.Second, "the Ingress' certificate", func() error {
		ready := Kubectl(t, "shipshape", "get", "certificate", "shipshape-tls", "--ignore-not-found",
			"-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`)
		if ready != "True" {
			return fmt.Errorf("Ready=%q", ready)
		}
		return nil
	})
	encoded := Kubectl(t, "cert-manager", "get", "secret", "shipshape-test-ca", "-o", `jsonpath={.data.ca\.crt}`)
	pem, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	return pem
}
