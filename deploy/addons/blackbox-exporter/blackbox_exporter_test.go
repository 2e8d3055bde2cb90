//go:build cluster

// Package blackboxexporter_test checks the synthetic probes in the test
// cluster (make test-cluster).
package blackboxexporter_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// TestPublicRoutesAreProbed: Prometheus runs the apps' Probe through the
// exporter, and every public target (the gateway's browse routes, the
// storefront's home page) answers: probe_success 1 with the journey label.
func TestPublicRoutesAreProbed(t *testing.T) {
	clustertest.Kubectl(t, "monitoring", "rollout", "status", "deployment/blackbox-exporter", "--timeout=120s")
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	// Probe targets appear once the operator has written the configuration
	// and the reloader applied it; each needs one 30 s probe.
	clustertest.Poll(t, 4*time.Minute, 5*time.Second, "every public route probed and up", func() error {
		samples, err := clustertest.Query(prom, `probe_success{job="probe/shipshape/shipshape-public"}`)
		if err != nil {
			return err
		}
		if len(samples) < 3 {
			return fmt.Errorf("%d probe results, want the 3 targets: %v", len(samples), samples)
		}
		var failing []string
		for _, s := range samples {
			if s.Value != 1 || s.Labels["journey"] != "browse" || s.Labels["namespace"] != "shipshape" {
				failing = append(failing, fmt.Sprintf("%s: %v", s.Labels["instance"], s))
			}
		}
		if len(failing) > 0 {
			return fmt.Errorf("%s", strings.Join(failing, "\n"))
		}
		return nil
	})
}

var probeSuccess = regexp.MustCompile(`(?m)^probe_success (\d+)$`)

// TestAFailingRouteFailsItsProbe: the same module on a route the gateway
// does not serve (404) and on a port nothing listens on reports failure,
// so probe_success 1 above means the routes answered.
func TestAFailingRouteFailsItsProbe(t *testing.T) {
	exporter := clustertest.ServiceURL(t, "monitoring", "blackbox-exporter", 9115)
	for target, want := range map[string]string{
		"http://gateway.shipshape.svc:8080/api/v1/categories":   "1",
		"http://gateway.shipshape.svc:8080/api/v1/no-such-page": "0",
		"http://web.shipshape.svc:3001/":                        "0",
	} {
		body, err := clustertest.Get(exporter + "/probe?module=http_2xx&target=" + url.QueryEscape(target))
		if err != nil {
			t.Fatal(err)
		}
		m := probeSuccess.FindSubmatch(body)
		if m == nil || string(m[1]) != want {
			t.Errorf("probe of %s: probe_success %q, want %s\n%s", target, m, want, body)
		}
	}
}
