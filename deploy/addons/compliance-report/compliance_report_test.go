//go:build cluster

// Package compliancereport_test checks the continuous compliance report in
// the test cluster (every make test-cluster: the add-on is ALWAYS). Its
// alerts in Prometheus are checked with the monitoring add-ons
// (deploy/addons/prometheus, TestComplianceViolationAlerts).
package compliancereport_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

const ns = "shipshape-compliance"

// reported reads the reporter's own metrics (the node reaches the pod, as
// the kubelet's probes do) and returns its unaccepted violations in
// namespace drill as "kind/name policy", sorted, and whether the reporter
// lists itself.
func reported(drill string) (got []string, itself bool, err error) {
	all, err := unaccepted()
	for _, v := range all {
		itself = itself || v.namespace == ns
		if v.namespace == drill {
			got = append(got, v.kind+"/"+v.name+" "+v.policy)
		}
	}
	slices.Sort(got)
	return got, itself, err
}

type violation struct{ namespace, kind, name, policy string }

// unaccepted is every violation the reporter's last pass found that no
// exception accepts.
func unaccepted() ([]violation, error) {
	ip, err := clustertest.KubectlIn(ns, "", "get", "pod", "-l", "app.kubernetes.io/name=compliance-report",
		"-o", "jsonpath={.items[0].status.podIP}")
	if err != nil {
		return nil, fmt.Errorf("the reporter's pod: %v: %s", err, ip)
	}
	body, err := clustertest.Get("http://" + strings.TrimSpace(ip) + ":9090/metrics")
	if err != nil {
		return nil, err
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	// No violation at all is no series at all: the last pass's time says
	// whether there has been one.
	last := families["shipshape_compliance_last_success_timestamp_seconds"].GetMetric()
	if len(last) == 0 || last[0].GetGauge().GetValue() == 0 {
		return nil, fmt.Errorf("no report yet")
	}
	fam := families["shipshape_compliance_violations"]
	var out []violation
	for _, m := range fam.GetMetric() {
		l := map[string]string{}
		for _, p := range m.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		if l["accepted"] == "false" && m.GetGauge().GetValue() > 0 {
			out = append(out, violation{l["namespace"], l["kind"], l["name"], l["policy"]})
		}
	}
	return out, nil
}

// TestNothingRunsAgainstTheRulesUnaccepted: in the whole test cluster (the
// apps, the substrate and whatever add-ons run) every violation the report
// finds is accepted by an exception with its reason, so an alert means
// something new. The drill namespaces of the tests here are not counted.
func TestNothingRunsAgainstTheRulesUnaccepted(t *testing.T) {
	clustertest.Kubectl(t, ns, "rollout", "status", "deployment/compliance-report", "--timeout=120s")
	clustertest.Poll(t, time.Minute, 2*time.Second, "a report without unaccepted violations", func() error {
		all, err := unaccepted()
		if err != nil {
			return err
		}
		var found []string
		for _, v := range all {
			if !strings.HasPrefix(v.namespace, "compliance-drill-") {
				found = append(found, fmt.Sprintf("%s %s/%s: %s", v.kind, v.namespace, v.name, v.policy))
			}
		}
		if len(found) > 0 {
			return fmt.Errorf("unaccepted (fix them, or annotate them shipshape.dev/compliance-exception with the reason):\n%s", strings.Join(found, "\n"))
		}
		return nil
	})
}

// TestComplianceReportFindsAndClears: a Deployment that breaks the rules,
// in a namespace the admission policies do not cover, is reported under
// the policies' own names, with the namespace's missing default deny;
// fixed, it is gone from the next report. The reporter, whose manifests
// follow the rules, never lists itself.
func TestComplianceReportFindsAndClears(t *testing.T) {
	clustertest.Kubectl(t, ns, "rollout", "status", "deployment/compliance-report", "--timeout=120s")
	drill, want, fix := clustertest.ComplianceDrift(t)
	clustertest.Poll(t, 2*time.Minute, 2*time.Second, "the drifted Deployment in the report", func() error {
		got, itself, err := reported(drill)
		if err != nil {
			return err
		}
		if itself {
			t.Errorf("the reporter reports its own namespace")
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("reported %q, want %q", got, want)
		}
		return nil
	})
	fix()
	awaitReported(t, drill, nil, "the fixed Deployment gone from the report")
}

// TestComplianceReportHoldsStagingToItsRegistries: a Deployment meeting
// every other rule, in a namespace labelled for staging that admission does
// not cover, is reported under the registry policy while the namespace
// lists no registries, and cleared once its ConfigMap lists the image's.
func TestComplianceReportHoldsStagingToItsRegistries(t *testing.T) {
	clustertest.Kubectl(t, ns, "rollout", "status", "deployment/compliance-report", "--timeout=120s")
	drill, _, fix := clustertest.ComplianceDrift(t)
	fix()
	clustertest.Kubectl(t, "", "label", "namespace", drill, "shipshape.dev/environment=staging")
	awaitReported(t, drill, []string{"Deployment/drifted shipshape-image-registries"}, "the unlisted registry in the report")
	clustertest.Kubectl(t, drill, "create", "configmap", "shipshape-allowed-registries",
		"--from-literal=prefixes="+clustertest.BusyboxImage(t))
	awaitReported(t, drill, nil, "the listed registry gone from the report")
}

// awaitReported waits until the reporter's unaccepted violations in drill
// are exactly want (none, for nil).
func awaitReported(t *testing.T, drill string, want []string, what string) {
	t.Helper()
	clustertest.Poll(t, 2*time.Minute, 2*time.Second, what, func() error {
		got, _, err := reported(drill)
		if err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("reported %q, want %q", got, want)
		}
		return nil
	})
}

// TestScratchNamespaceTakesOnlyDryRuns: the namespace where the report's
// policies only warn stores nothing, whoever writes there, and answers a
// dry run with the policies' warnings.
func TestScratchNamespaceTakesOnlyDryRuns(t *testing.T) {
	image := clustertest.BusyboxImage(t)
	out, err := clustertest.KubectlIn("shipshape-compliance-scratch", "", "create", "deployment", "smuggled", "--image="+image)
	if err == nil || !strings.Contains(out, "a compliance report namespace takes dry runs only") {
		t.Fatalf("a real create in the scratch namespace: %v\n%s", err, out)
	}
	out, err = clustertest.KubectlIn("shipshape-compliance-scratch", "", "create", "deployment", "asked", "--image="+image, "--dry-run=server")
	if err != nil || !strings.Contains(out, "Validation failed for ValidatingAdmissionPolicy 'shipshape-resources'") {
		t.Fatalf("a dry run in the scratch namespace is admitted with the policies' warnings: %v\n%s", err, out)
	}
}

// TestReporterMayOnlyReadAndDryRun: the reporter's service account lists
// workloads everywhere but writes nowhere except the scratch namespace
// (where only dry runs pass), reads no Secret, and of the ConfigMaps only
// the allowed registries.
func TestReporterMayOnlyReadAndDryRun(t *testing.T) {
	const as = "--as=system:serviceaccount:shipshape-compliance:compliance-report"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "deployments", "--all-namespaces"}, "yes"},
		{[]string{"list", "networkpolicies", "--all-namespaces"}, "yes"},
		{[]string{"create", "deployments", "-n", "shipshape-compliance-scratch"}, "yes"},
		{[]string{"create", "pods", "-n", "shipshape-compliance-scratch"}, "yes"},
		{[]string{"create", "deployments", "-n", "shipshape"}, "no"},
		{[]string{"update", "deployments", "-n", ns}, "no"},
		{[]string{"delete", "pods", "-n", "shipshape-compliance-scratch"}, "no"},
		{[]string{"get", "secrets", "-n", "shipshape"}, "no"},
		{[]string{"list", "secrets", "--all-namespaces"}, "no"},
		{[]string{"get", "configmaps/shipshape-allowed-registries", "-n", "shipshape"}, "yes"},
		{[]string{"get", "configmaps/another", "-n", "shipshape"}, "no"},
		{[]string{"list", "configmaps", "--all-namespaces"}, "no"},
	} {
		out, _ := clustertest.KubectlIn("", "", append([]string{"auth", "can-i", as}, tc.args...)...)
		if got := strings.TrimSpace(out); got != tc.want {
			t.Errorf("can-i %s: %q, want %q", strings.Join(tc.args, " "), got, tc.want)
		}
	}
}
