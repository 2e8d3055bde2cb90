//go:build cluster

// Package compliancereport_test checks the continuous compliance report in
// the test cluster (make test-cluster with the monitoring add-ons).
package compliancereport_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// legacy is a Deployment as one might have applied it before the rules:
// no security context, no resources, no probes. Zero replicas: the report
// reads objects, and nothing needs to run.
const legacy = `apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy}
spec:
  replicas: 0
  selector: {matchLabels: {app: legacy}}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers:
        - name: app
          image: IMAGE
`

// fixed is the same Deployment meeting every rule, and the namespace's
// default-deny policy.
const fixed = `apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy}
spec:
  replicas: 0
  selector: {matchLabels: {app: legacy}}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: app
          image: IMAGE
          readinessProbe: {tcpSocket: {port: 8080}}
          livenessProbe: {tcpSocket: {port: 8080}}
          resources:
            requests: {cpu: 10m, memory: 16Mi, ephemeral-storage: 16Mi}
            limits: {cpu: 100m, memory: 32Mi, ephemeral-storage: 32Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`

// TestComplianceReportFindsAndClears: a violating Deployment in a namespace
// the admission policies do not cover is reported under the policies'
// names, its alert fires; fixed, both clear. The reporter itself, whose
// manifests follow the rules, is not reported.
func TestComplianceReportFindsAndClears(t *testing.T) {
	clustertest.Kubectl(t, "monitoring", "rollout", "status", "deployment/compliance-report", "--timeout=120s")
	image := os.Getenv("BUSYBOX_IMAGE")
	ns := "compliance-drill-" + uuid.NewString()[:8]
	clustertest.Kubectl(t, "", "create", "namespace", ns)
	t.Cleanup(func() { _, _ = clustertest.KubectlIn("", "", "delete", "namespace", ns, "--wait=false") })
	apply := func(manifest string) {
		t.Helper()
		if out, err := clustertest.KubectlIn(ns, strings.ReplaceAll(manifest, "IMAGE", image), "apply", "-f", "-"); err != nil {
			t.Fatalf("kubectl apply: %v\n%s", err, out)
		}
	}
	apply(legacy)

	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	violations := fmt.Sprintf(`shipshape_compliance_violations{namespace=%q, accepted="false"}`, ns)
	want := []string{"Deployment/legacy shipshape-pod-security", "Deployment/legacy shipshape-resources", "Namespace/" + ns + " network-policy"}
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "the legacy Deployment in the report", func() error {
		samples, err := clustertest.Query(prom, violations)
		if err != nil {
			return err
		}
		var got []string
		for _, s := range samples {
			got = append(got, s.Labels["kind"]+"/"+s.Labels["name"]+" "+s.Labels["policy"])
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			return fmt.Errorf("reported %q, want %q", got, want)
		}
		return nil
	})
	firing := fmt.Sprintf(`ALERTS{alertname="ComplianceViolation", alertstate="firing", namespace=%q}`, ns)
	clustertest.Poll(t, 2*time.Minute, 5*time.Second, "ComplianceViolation firing for the drill namespace", func() error {
		samples, err := clustertest.Query(prom, firing)
		if err != nil {
			return err
		}
		if len(samples) != len(want) {
			return fmt.Errorf("%d firing alerts, want %d: %v", len(samples), len(want), samples)
		}
		return nil
	})
	// The reporter's own manifests follow the rules.
	if own, err := clustertest.Query(prom, `shipshape_compliance_violations{namespace="monitoring", name="compliance-report"}`); err != nil || len(own) > 0 {
		t.Errorf("the reporter reports itself: %v %v", own, err)
	}

	apply(fixed)
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "the fixed Deployment gone from the report and its alerts", func() error {
		for _, expr := range []string{violations, firing} {
			samples, err := clustertest.Query(prom, expr)
			if err != nil {
				return err
			}
			if len(samples) > 0 {
				return fmt.Errorf("%s: still %v", expr, samples)
			}
		}
		return nil
	})
}

// TestScratchNamespaceTakesOnlyDryRuns: the namespace where the report's
// policies only warn stores nothing, whoever writes there.
func TestScratchNamespaceTakesOnlyDryRuns(t *testing.T) {
	image := os.Getenv("BUSYBOX_IMAGE")
	out, err := clustertest.KubectlIn("shipshape-compliance-scratch", "", "create", "deployment", "smuggled", "--image="+image)
	if err == nil || !strings.Contains(out, "a compliance report namespace takes dry runs only") {
		t.Fatalf("a real create in the scratch namespace: %v\n%s", err, out)
	}
	out, err = clustertest.KubectlIn("shipshape-compliance-scratch", "", "create", "deployment", "asked", "--image="+image, "--dry-run=server")
	if err != nil || !strings.Contains(out, "Validation failed for ValidatingAdmissionPolicy 'shipshape-resources'") {
		t.Fatalf("a dry run in the scratch namespace is admitted with the policies' warnings: %v\n%s", err, out)
	}
}
