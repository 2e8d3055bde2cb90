//go:build cluster

// Package traefik_test checks the edge in the test cluster (the metallb,
// cert-manager and traefik add-ons together): Traefik behind an address
// MetalLB hands out and announces, serving HTTPS with the certificate
// cert-manager issued, reached from the edge's client network as a client
// outside the cluster would reach it.
package traefik_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
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

// host is the test overlay's Ingress host (test/cluster/overlay/ingress.yaml).
const host = "shop.shipshape.test"

// pool is test/cluster/addons/metallb-pool.yaml's range.
var pool = [2]netip.Addr{netip.MustParseAddr("10.251.0.200"), netip.MustParseAddr("10.251.0.219")}

// edgeAddress waits for Traefik to serve and returns the address MetalLB
// gave its Service.
func edgeAddress(t *testing.T) netip.Addr {
	t.Helper()
	clustertest.Kubectl(t, "metallb-system", "rollout", "status", "deployment/metallb-controller", "--timeout=120s")
	clustertest.Kubectl(t, "metallb-system", "rollout", "status", "daemonset/metallb-speaker", "--timeout=120s")
	clustertest.Kubectl(t, "traefik", "rollout", "status", "deployment/traefik", "--timeout=120s")
	var ip netip.Addr
	clustertest.Poll(t, 2*time.Minute, time.Second, "an address for the Service traefik", func() error {
		out := strings.TrimSpace(clustertest.Kubectl(t, "traefik", "get", "service", "traefik", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"))
		if out == "" {
			return errors.New("none yet")
		}
		var err error
		ip, err = netip.ParseAddr(out)
		return err
	})
	return ip
}

// testCA waits for the Ingress' certificate and returns the pool of the
// test cluster's CA (test/cluster/addons/cert-manager-issuer.yaml), read
// from the Secret cert-manager keeps it in.
func testCA(t *testing.T) *x509.CertPool {
	t.Helper()
	clustertest.Poll(t, 2*time.Minute, time.Second, "the Ingress' certificate", func() error {
		ready := clustertest.Kubectl(t, "shipshape", "get", "certificate", "shipshape-tls", "--ignore-not-found",
			"-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`)
		if ready != "True" {
			return fmt.Errorf("Ready=%q", ready)
		}
		return nil
	})
	encoded := clustertest.Kubectl(t, "cert-manager", "get", "secret", "shipshape-test-ca", "-o", `jsonpath={.data.ca\.crt}`)
	pem, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in the CA's Secret: %q", pem)
	}
	return pool
}

// get sends GET url through client and returns the status and body.
func get(client *http.Client, url string) (int, string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// The Service of type LoadBalancer gets an address from the pool; the
// Ingress carries it in its status (what ExternalDNS publishes); a client
// on the edge's network finds it by ARP, answered with the host link's
// hardware address by MetalLB's speaker (no address of the node is in the
// pool, so the kernel itself never answers), and reaches the storefront
// and the public API by the Ingress' host over HTTPS, verified against the
// test CA alone, keeping its own address.
func TestALoadBalancerAddressServesTheShopFromOutside(t *testing.T) {
	ip := edgeAddress(t)
	if ip.Compare(pool[0]) < 0 || ip.Compare(pool[1]) > 0 {
		t.Fatalf("the Service's address %s is outside the pool %s-%s", ip, pool[0], pool[1])
	}
	clustertest.Poll(t, time.Minute, time.Second, "the Ingress' status", func() error {
		got := strings.TrimSpace(clustertest.Kubectl(t, "shipshape", "get", "ingress", "shipshape", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"))
		if got != ip.String() {
			return fmt.Errorf("the Ingress shows %q, want %s", got, ip)
		}
		return nil
	})

	netns := clustertest.Env(t, "SHIPSHAPE_EDGE_NETNS")
	client := clustertest.EdgeClient(netns, ip.String(), testCA(t))
	var page string
	clustertest.Poll(t, time.Minute, time.Second, "the storefront through the edge", func() error {
		status, body, err := get(client, "https://"+host+"/")
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("status %d, error %v", status, err)
		}
		page = body
		return nil
	})
	if !strings.Contains(page, "<html") {
		t.Errorf("the storefront's page is no HTML document: %.200s", page)
	}
	status, body, err := get(client, "https://"+host+"/api/v1/products")
	var products struct {
		Products []json.RawMessage `json:"products"`
	}
	if err != nil || status != http.StatusOK || json.Unmarshal([]byte(body), &products) != nil || len(products.Products) == 0 {
		t.Errorf("GET /api/v1/products through the edge: status %d, error %v, body %.200s", status, err, body)
	}

	// Who answered the client's ARP request: the host end of the edge link.
	link := clustertest.Env(t, "SHIPSHAPE_EDGE_LINK")
	mac, err := os.ReadFile(filepath.Join("/sys/class/net", link, "address"))
	if err != nil {
		t.Fatal(err)
	}
	neigh, err := exec.Command("ip", "-n", netns, "neigh", "show", ip.String()).CombinedOutput()
	if err != nil || !strings.Contains(string(neigh), "lladdr "+strings.TrimSpace(string(mac))) {
		t.Errorf("the client's neighbour entry for %s: %q (%v), want the hardware address of %s, %s", ip, neigh, err, link, mac)
	}
	t.Logf("%s announced as %s", ip, strings.TrimSpace(string(neigh)))
	var statuses struct {
		Items []struct {
			Status struct{ Node, ServiceName, ServiceNamespace string } `json:"status"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(clustertest.Kubectl(t, "metallb-system", "get", "servicel2statuses", "-o", "json")), &statuses); err != nil {
		t.Fatal(err)
	}
	announced := false
	for _, s := range statuses.Items {
		announced = announced || s.Status.ServiceNamespace == "traefik" && s.Status.ServiceName == "traefik" && s.Status.Node != ""
	}
	if !announced {
		t.Errorf("no ServiceL2Status names the node announcing traefik/traefik: %+v", statuses.Items)
	}

	// externalTrafficPolicy Local: Traefik sees the client itself.
	client4 := clustertest.Env(t, "SHIPSHAPE_EDGE_CLIENT_IP")
	clustertest.Poll(t, 30*time.Second, time.Second, "the client's address in Traefik's access log", func() error {
		logs := clustertest.Kubectl(t, "traefik", "logs", "-l", "app.kubernetes.io/name=traefik", "--tail=500", "--prefix=false")
		if !strings.Contains(logs, `"ClientHost":"`+client4+`"`) {
			return fmt.Errorf("no access log line from %s", client4)
		}
		return nil
	})
}

// The certificate the edge presents is cert-manager's, for the Ingress'
// host, from the test CA: a client that does not trust that CA refuses it,
// and a client naming another host gets no certificate at all. Plain HTTP
// is redirected to HTTPS, and every HTTPS answer carries HSTS and the
// security headers, whichever backend gave it.
func TestTheEdgeServesOnlyHTTPSWithTheIssuedCertificate(t *testing.T) {
	ip := edgeAddress(t)
	ca := testCA(t)
	netns := clustertest.Env(t, "SHIPSHAPE_EDGE_NETNS")
	client := clustertest.EdgeClient(netns, ip.String(), ca)

	resp, err := client.Get("https://" + host + "/healthz")
	if err != nil {
		t.Fatalf("HTTPS through the edge: %v", err)
	}
	resp.Body.Close()
	leaf := resp.TLS.PeerCertificates[0]
	if !slices.Contains(leaf.DNSNames, host) || leaf.Issuer.CommonName != "shipshape test cluster CA" {
		t.Errorf("the edge's certificate: names %v, issuer %q; want %s from the test CA", leaf.DNSNames, leaf.Issuer.CommonName, host)
	}
	t.Logf("certificate for %v from %q, valid until %s", leaf.DNSNames, leaf.Issuer.CommonName, leaf.NotAfter.Format(time.RFC3339))

	_, err = clustertest.EdgeClient(netns, ip.String(), x509.NewCertPool()).Get("https://" + host + "/healthz")
	if err == nil || !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Errorf("a client that does not trust the test CA: %v, want an unknown authority", err)
	}
	_, err = client.Get("https://unknown.shipshape.test/healthz")
	if err == nil {
		t.Errorf("a host no Ingress names got a certificate")
	}

	for _, path := range []string{"/", "/api/v1/products?pageSize=1"} {
		resp, err := client.Get("http://" + host + path)
		if err != nil {
			t.Fatalf("plain HTTP %s: %v", path, err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode/100 != 3 || loc != "https://"+host+path {
			t.Errorf("plain HTTP %s: %d to %q, want a redirect to https://%s%s", path, resp.StatusCode, loc, host, path)
		}
	}
	for _, path := range []string{"/", "/api/v1/products?pageSize=1"} {
		resp, err := client.Get("https://" + host + path)
		if err != nil {
			t.Fatalf("HTTPS %s: %v", path, err)
		}
		resp.Body.Close()
		for name, want := range map[string]string{
			"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
			"X-Content-Type-Options":    "nosniff",
			"X-Frame-Options":           "DENY",
			"Referrer-Policy":           "no-referrer",
		} {
			if got := resp.Header.Values(name); len(got) != 1 || got[0] != want {
				t.Errorf("HTTPS %s: %s %q, want once %q", path, name, got, want)
			}
		}
	}
}

// Deleting one of Traefik's two pods while a client sends requests through
// the edge loses none: the pod stops being ready first (its ping answers
// 503 from the signal on), keeps accepting until the Service's endpoints
// and the node's rules no longer send it connections, and finishes what
// it holds; the Deployment replaces it.
func TestDeletingAnIngressPodUnderLoadLosesNoRequest(t *testing.T) {
	ip := edgeAddress(t)
	client := clustertest.EdgeClient(clustertest.Env(t, "SHIPSHAPE_EDGE_NETNS"), ip.String(), testCA(t))
	// The storefront's health and a static file: the edge is under test,
	// not the gateway's per-client limits (every request here comes from
	// one client address).
	load := clustertest.StartLoadWith(client, 8,
		clustertest.Target{URL: "https://" + host + "/healthz", Once: true},
		clustertest.Target{URL: "https://" + host + "/icon.svg", Once: true})
	t.Cleanup(load.Stop)
	clustertest.Poll(t, 30*time.Second, 500*time.Millisecond, "traffic through the edge", func() error {
		if load.OK.Load() < 500 {
			return fmt.Errorf("%s", load)
		}
		return nil
	})
	var pods []string
	clustertest.Poll(t, 90*time.Second, time.Second, "two Traefik pods and none stopping", func() error {
		pods = traefikPods(t)
		if len(pods) != 2 {
			return fmt.Errorf("pods %v", pods)
		}
		return nil
	})
	start := time.Now()
	clustertest.Kubectl(t, "traefik", "delete", "pod", pods[0], "--wait=true", "--timeout=90s")
	gone := time.Since(start)
	clustertest.Kubectl(t, "traefik", "rollout", "status", "deployment/traefik", "--timeout=120s")
	load.Finish(t, 2000)
	t.Logf("deleted %s (gone after %s): %s", pods[0], gone.Round(100*time.Millisecond), load)
	if load.Failed.Load() != 0 {
		t.Errorf("requests failed while an ingress pod was deleted: %s", load)
	}
}

// traefikPods are the names of Traefik's pods, those stopping included
// (marked so).
func traefikPods(t *testing.T) []string {
	var list struct {
		Items []struct {
			Metadata struct {
				Name              string  `json:"name"`
				DeletionTimestamp *string `json:"deletionTimestamp"`
			} `json:"metadata"`
		} `json:"items"`
	}
	out := clustertest.Kubectl(t, "traefik", "get", "pods", "-l", "app.kubernetes.io/name=traefik", "-o", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range list.Items {
		name := p.Metadata.Name
		if p.Metadata.DeletionTimestamp != nil {
			name += " (stopping)"
		}
		names = append(names, name)
	}
	return names
}
