//go:build cluster

// Package kubestatemetrics_test checks the kube-state-metrics add-on in the
// test cluster (make test-cluster).
package kubestatemetrics_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// It describes the shipshape Deployments as they are: catalog's available
// replicas in its metrics equal the Deployment's status.
func TestReportsTheDeploymentsState(t *testing.T) {
	clustertest.Kubectl(t, "monitoring", "rollout", "status", "deployment/kube-state-metrics", "--timeout=120s")
	url := clustertest.ServiceURL(t, "monitoring", "kube-state-metrics", 8080) + "/metrics"
	series := regexp.MustCompile(`(?m)^kube_deployment_status_replicas_available\{([^}]*)\} (\d+)$`)
	clustertest.Poll(t, time.Minute, 2*time.Second, "catalog's available replicas", func() error {
		want := strings.TrimSpace(clustertest.Kubectl(t, "shipshape", "get", "deployment", "catalog", "-o", "jsonpath={.status.availableReplicas}"))
		body, err := clustertest.Get(url)
		if err != nil {
			return err
		}
		for _, m := range series.FindAllStringSubmatch(string(body), -1) {
			if !strings.Contains(m[1], `namespace="shipshape"`) || !strings.Contains(m[1], `deployment="catalog"`) {
				continue
			}
			if m[2] != want || want == "" || want == "0" {
				return fmt.Errorf("metrics say %s available, the Deployment %q", m[2], want)
			}
			return nil
		}
		return fmt.Errorf("no kube_deployment_status_replicas_available for shipshape/catalog in %d bytes of metrics", len(body))
	})
}
