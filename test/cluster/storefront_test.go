//go:build cluster

package cluster_test

import (
	"testing"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// The storefront's browser journey (web/e2e: browse a category, search,
// sign up, buy two products, find the order) in Debian's Chromium against
// the web pod, which calls the gateway pod, over the cluster's Services.
// Screenshots land in test-results/cluster/. (Through the edge, by name,
// over HTTPS: deploy/addons/external-dns.)
func TestStorefrontJourneyInABrowser(t *testing.T) {
	rolledOut(t)
	clustertest.BrowserJourney(t, "../..", nil, "cluster",
		"E2E_BASE_URL="+serviceURL(t, "web", 3000),
		"E2E_API_URL="+apiURL(t))
}
