//go:build cluster

package externaldns_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// The storefront's browser journey (clustertest.JourneyTest) as a shopper
// outside the cluster takes it: Chromium and the test's own API calls run
// in the edge's client network, resolve https://shop.shipshape.test
// through the edge's DNS server (the namespace's resolv.conf names it,
// test/cluster/host.sh) to the load balancer's address, and trust the
// test CA alone for the certificate cert-manager issued (an NSS database
// of the browser's own; node's requests get the CA as an extra
// certificate). Nothing in it names an address. Screenshots land in
// test-results/edge/. (This package's tests run before Traefik's, whose
// sign-in burst from the same client address would otherwise leave the
// journey's sign-up to the edge's limit for a minute.)
func TestStorefrontJourneyThroughTheEdge(t *testing.T) {
	edge := clustertest.TheEdge(t)
	waitResolves(t, edge.Resolver(t), host, edge.IP.String())
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.crt")
	if err := os.WriteFile(ca, edge.CAPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")
	nssdb := filepath.Join(home, ".pki", "nssdb")
	if err := os.MkdirAll(nssdb, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-N", "--empty-password"},
		{"-A", "-n", "shipshape-test-ca", "-t", "C,,", "-i", ca},
	} {
		if out, err := exec.Command("certutil", append([]string{"-d", "sql:" + nssdb}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("certutil %v: %v: %s", args, err, out)
		}
	}
	clustertest.BrowserJourney(t, "../../..", []string{"ip", "netns", "exec", edge.Netns}, "edge",
		"E2E_BASE_URL=https://"+host,
		"E2E_API_URL=https://"+host+"/api/v1",
		"E2E_BROWSER_HOME="+home,
		"NODE_EXTRA_CA_CERTS="+ca)
}
