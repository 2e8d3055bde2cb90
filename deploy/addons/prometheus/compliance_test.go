//go:build cluster

package prometheus_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// TestComplianceViolationAlerts: Prometheus scrapes the compliance report
// (deploy/addons/compliance-report, in every test cluster) through its
// namespace's policy and evaluates its rules: a drifted Deployment in a
// namespace without admission enforcement makes ComplianceViolation fire,
// one alert per object and policy; fixing it resolves them.
func TestComplianceViolationAlerts(t *testing.T) {
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	drill, want, fix := clustertest.ComplianceDrift(t)
	firing := fmt.Sprintf(`ALERTS{alertname="ComplianceViolation", alertstate="firing", namespace=%q}`, drill)
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "ComplianceViolation firing for the drill namespace", func() error {
		samples, err := clustertest.Query(prom, firing)
		if err != nil {
			return err
		}
		if len(samples) != len(want) {
			return fmt.Errorf("%d firing alerts, want %d (%q): %v", len(samples), len(want), want, samples)
		}
		return nil
	})
	fix()
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "the drill namespace's alerts resolved", func() error {
		samples, err := clustertest.Query(prom, firing)
		if err != nil {
			return err
		}
		if len(samples) > 0 {
			return fmt.Errorf("still firing: %v", samples)
		}
		return nil
	})
}
