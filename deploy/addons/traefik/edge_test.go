//go:build cluster

// Package traefik_test checks the edge in the test cluster (the metallb,
// cert-manager and traefik add-ons together): Traefik behind an address
// MetalLB hands out and announces, serving HTTPS with the certificate
// cert-manager issued, reached from the edge's client network as a client
// outside the cluster would reach it.
package traefik_test

import (
	"crypto/x509"
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

// pool is test/cluster/addons/metallb.yaml's range.
var pool = [2]netip.Addr{netip.MustParseAddr("10.251.0.200"), netip.MustParseAddr("10.251.0.219")}

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
	e := clustertest.TheEdge(t)
	ip, netns := e.IP, e.Netns
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

	client := e.Client("")
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
	e := clustertest.TheEdge(t)
	client := e.Client("")

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

	_, err = clustertest.EdgeClient(e.Netns, "", e.IP.String(), x509.NewCertPool()).Get("https://" + host + "/healthz")
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
	client := clustertest.TheEdge(t).Client("")
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

// accessLine is the part of Traefik's JSON access log the tests read: an
// OriginStatus of 0 means Traefik answered itself, no backend did.
type accessLine struct {
	ClientHost       string
	RequestMethod    string
	RequestPath      string
	DownstreamStatus int
	OriginStatus     int
}

// answeredByTheEdge counts the access log lines from client for method and
// path with the status given that no backend answered.
func answeredByTheEdge(t *testing.T, client, method, path string, status int) int {
	t.Helper()
	n := 0
	logs := clustertest.Kubectl(t, "traefik", "logs", "-l", "app.kubernetes.io/name=traefik", "--tail=5000", "--prefix=false")
	for _, line := range strings.Split(logs, "\n") {
		var l accessLine
		if json.Unmarshal([]byte(line), &l) != nil {
			continue
		}
		if l.ClientHost == client && l.RequestMethod == method && l.RequestPath == path && l.DownstreamStatus == status && l.OriginStatus == 0 {
			n++
		}
	}
	return n
}

// post sends a POST of body to url and returns the status.
func post(client *http.Client, url, body string) (int, error) {
	resp, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// A burst of sign-in attempts from one client is refused with 429 by the
// edge once the sign-in limit's burst is used up (limits.yaml: 10, then
// one more every 6 s), while another client is still let through; the
// attempts the edge lets through reach identity (which refuses their
// empty credentials with 400).
func TestSignInBurstIsLimitedPerClient(t *testing.T) {
	e := clustertest.TheEdge(t)
	a, b := clustertest.Env(t, "SHIPSHAPE_EDGE_CLIENT_IP"), clustertest.Env(t, "SHIPSHAPE_EDGE_CLIENT2_IP")
	url := "https://" + host + "/api/v1/auth/signin"
	first := e.Client(a)
	statuses := map[int]int{}
	firstRefused := 0
	start := time.Now()
	for i := 1; i <= 20; i++ {
		status, err := post(first, url, `{}`)
		if err != nil {
			t.Fatalf("sign-in attempt %d: %v", i, err)
		}
		statuses[status]++
		if status == http.StatusTooManyRequests && firstRefused == 0 {
			firstRefused = i
		}
	}
	elapsed := time.Since(start)
	other, err := post(e.Client(b), url, `{}`)
	t.Logf("client %s: 20 attempts in %s: %v (first 429 at attempt %d); client %s then: %d", a, elapsed.Round(time.Millisecond), statuses, firstRefused, b, other)
	// one more token may have come while the burst ran (one per 6 s)
	if firstRefused < 11 || firstRefused > 11+int(elapsed/(6*time.Second)) {
		t.Errorf("the first 429 came at attempt %d, want the 11th (a burst of 10)", firstRefused)
	}
	if statuses[http.StatusBadRequest] != firstRefused-1 {
		t.Errorf("attempts answered by identity: %d, want the %d before the limit (statuses %v)", statuses[http.StatusBadRequest], firstRefused-1, statuses)
	}
	if err != nil || other != http.StatusBadRequest {
		t.Errorf("the second client's attempt: %d, %v; want identity's 400 (its own limit untouched)", other, err)
	}
	clustertest.Poll(t, 30*time.Second, time.Second, "the 429s in Traefik's access log", func() error {
		if n := answeredByTheEdge(t, a, "POST", "/api/v1/auth/signin", http.StatusTooManyRequests); n != statuses[http.StatusTooManyRequests] {
			return fmt.Errorf("%d of the %d 429s answered by the edge itself", n, statuses[http.StatusTooManyRequests])
		}
		return nil
	})
}

// A request body over the gateway's max_payload is refused with 413 by the
// edge before the gateway sees it; one under it goes through.
func TestTheEdgeRefusesLargeBodies(t *testing.T) {
	b := clustertest.Env(t, "SHIPSHAPE_EDGE_CLIENT2_IP")
	client := clustertest.TheEdge(t).Client(b)
	url := "https://" + host + "/api/v1/cart/items"
	large := `{"productId":"` + strings.Repeat("x", 1<<20) + `"}`
	status, err := post(client, url, large)
	if err != nil || status != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d-byte body: %d, %v; want 413", len(large), status, err)
	}
	// without a token the gateway itself refuses it: it was let through
	if status, err := post(client, url, `{"productId":"x"}`); err != nil || status != http.StatusUnauthorized {
		t.Errorf("a small body: %d, %v; want the gateway's 401", status, err)
	}
	clustertest.Poll(t, 30*time.Second, time.Second, "the 413 in Traefik's access log", func() error {
		if answeredByTheEdge(t, b, "POST", "/api/v1/cart/items", http.StatusRequestEntityTooLarge) == 0 {
			return errors.New("no 413 answered by the edge itself")
		}
		return nil
	})
}

// A gateway that keeps failing (catalog behind it refusing every call with
// the fault switch, FAULT_ERROR_RATIO=1, which the gateway passes on as
// 503 on /api/v1/categories) opens the edge's circuit breaker: from then
// on the edge answers 503 itself at once ("Service Unavailable", not the
// service's JSON error) without calling the gateway. Once catalog serves
// again the breaker lets traffic through after its fallback time and
// closes. Each Traefik replica has a breaker of its own; the client opens
// a new connection per request so that it meets both, as many clients'
// requests would. (The gateway's endpoints stay as they are: a change of
// Traefik's routing configuration, such as a Service losing its pods,
// starts the breakers anew; docs/edge.md.)
func TestAFailingGatewayOpensTheEdgesBreaker(t *testing.T) {
	b := clustertest.Env(t, "SHIPSHAPE_EDGE_CLIENT2_IP")
	client := clustertest.TheEdge(t).Client(b)
	client.Transport.(*http.Transport).DisableKeepAlives = true
	url := "https://" + host + "/api/v1/categories"
	if status, _, err := get(client, url); err != nil || status != http.StatusOK {
		t.Fatalf("before: %d, %v", status, err)
	}
	setFault := func(ratio string) {
		clustertest.Kubectl(t, "shipshape", "set", "env", "deployment/catalog", "FAULT_ERROR_RATIO"+ratio)
		clustertest.Kubectl(t, "shipshape", "rollout", "status", "deployment/catalog", "--timeout=180s")
	}
	t.Cleanup(func() { setFault("-") })
	setFault("=1")

	// byGateway: the service's error passed on; byEdge: the open breaker's
	var byGateway, byEdge int
	clustertest.Poll(t, 30*time.Second, 100*time.Millisecond, "the edge's breaker open", func() error {
		status, body, err := get(client, url)
		switch {
		case err != nil || status != http.StatusServiceUnavailable:
			return fmt.Errorf("%d, %v", status, err)
		case strings.TrimSpace(body) == "Service Unavailable":
			if byEdge++; byEdge < 10 {
				return fmt.Errorf("%d refused by the edge so far", byEdge)
			}
			return nil
		default:
			byGateway++
			return fmt.Errorf("%d failures from the gateway so far", byGateway)
		}
	})
	opened := time.Now()
	setFault("-")
	healthy := time.Since(opened)
	var firstOK time.Duration
	clustertest.Poll(t, 90*time.Second, 200*time.Millisecond, "the API through the edge again", func() error {
		status, _, err := get(client, url)
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("%d, %v", status, err)
		}
		firstOK = time.Since(opened)
		return nil
	})
	clustertest.Poll(t, 60*time.Second, time.Second, "the breaker closed", func() error {
		for range 20 {
			if status, _, err := get(client, url); err != nil || status != http.StatusOK {
				return fmt.Errorf("%d, %v", status, err)
			}
		}
		return nil
	})
	t.Logf("breaker open after %d failures passed on from the gateway; %d requests refused by the edge itself; catalog healthy again %s later, the first success through the edge %s after the breaker opened",
		byGateway, byEdge, healthy.Round(100*time.Millisecond), firstOK.Round(100*time.Millisecond))
	if byGateway == 0 {
		t.Errorf("no failure reached the client from the gateway before the breaker opened")
	}
}
