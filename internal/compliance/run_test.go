package compliance

import (
	"bytes"
	"context"
	"encoding/pem"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
)

var (
	fixedOld = Violation{Namespace: "legacy", Kind: "Deployment", Name: "old", Policy: "shipshape-images", Message: "image x: a tag other than latest is required"}
	accepted = Violation{Namespace: "kube-system", Kind: "Namespace", Name: "kube-system", Policy: NetworkPolicyRule, Message: "m", Accepted: "substrate"}
)

// TestRecordReplacesTheSeries: a violation fixed since the last pass is
// gone from the metrics, so its alert resolves.
func TestRecordReplacesTheSeries(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := newMetrics(reg)
	m.record(Report{Checked: 7, Violations: []Violation{fixedOld, fixedOld, accepted}}, 1, time.Unix(1000, 0))
	want := `
# HELP shipshape_compliance_violations Rules an existing object breaks, by object and policy (network-policy: the namespace's own rule); accepted=true when an exception annotation accepts them.
# TYPE shipshape_compliance_violations gauge
shipshape_compliance_violations{accepted="false",kind="Deployment",name="old",namespace="legacy",policy="shipshape-images"} 2
shipshape_compliance_violations{accepted="true",kind="Namespace",name="kube-system",namespace="kube-system",policy="network-policy"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "shipshape_compliance_violations"); err != nil {
		t.Fatal(err)
	}
	m.record(Report{Checked: 6, Violations: []Violation{accepted}}, 0, time.Unix(2000, 0))
	if n := testutil.ToFloat64(m.violations.WithLabelValues("legacy", "Deployment", "old", "shipshape-images", "false")); n != 0 {
		t.Errorf("the fixed object's series is %v after the next pass", n)
	}
	m.violations.DeleteLabelValues("legacy", "Deployment", "old", "shipshape-images", "false") // created by the read above
	if n := testutil.CollectAndCount(m.violations); n != 1 {
		t.Errorf("%d violation series, want 1", n)
	}
	if got := testutil.ToFloat64(m.lastSuccess); got != 2000 {
		t.Errorf("last success %v", got)
	}
	if got := testutil.ToFloat64(m.passes.WithLabelValues("ok")); got != 2 {
		t.Errorf("ok passes %v", got)
	}
	names, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, mf := range names {
		got = append(got, mf.GetName())
	}
	for _, n := range MetricNames() {
		if !strings.Contains(strings.Join(got, " "), n) {
			t.Errorf("MetricNames lists %s, which the registry does not export (%v)", n, got)
		}
	}
}

// TestLogChangesLogsAppearanceAndResolutionOnce: the log holds each
// violation's history, not a line per pass.
func TestLogChangesLogsAppearanceAndResolutionOnce(t *testing.T) {
	var buf logtest.Buffer
	r := &reporter{log: slog.New(slog.NewJSONHandler(&buf, nil)), seen: map[Violation]bool{}}
	r.logChanges(Report{Violations: []Violation{fixedOld, accepted}})
	r.logChanges(Report{Violations: []Violation{fixedOld, accepted}})
	r.logChanges(Report{Violations: []Violation{accepted}})
	var got []string
	for _, l := range buf.Lines(t) {
		got = append(got, l["level"].(string)+" "+l["msg"].(string)+" "+l["name"].(string))
	}
	want := []string{
		"WARN compliance violation old",
		"INFO compliance violation kube-system",
		"INFO compliance violation resolved old",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFailedPassKeepsThePreviousReport: an API server that cannot be
// reached proves nothing fixed.
func TestFailedPassKeepsThePreviousReport(t *testing.T) {
	dir := t.TempDir()
	token, ca := filepath.Join(dir, "token"), filepath.Join(dir, "ca.crt")
	// A real TLS server's certificate, and the server gone: the pass
	// gets as far as connecting.
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	gone := srv.URL
	srv.Close()
	if err := os.WriteFile(token, []byte("t"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ca, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	m := newMetrics(prometheus.NewRegistry())
	r := &reporter{
		cfg: Config{Timeout: 5 * time.Second, ScratchNamespace: "s",
			API: kubeapi.Config{APIURL: gone, TokenFile: token, CAFile: ca}},
		log: slog.New(slog.NewJSONHandler(&buf, nil)), m: m, seen: map[Violation]bool{},
	}
	m.record(Report{Checked: 1, Violations: []Violation{fixedOld}}, 0, time.Unix(1000, 0))
	r.pass(context.Background())
	if got := testutil.ToFloat64(m.passes.WithLabelValues("failed")); got != 1 {
		t.Errorf("failed passes %v, want 1", got)
	}
	if got := testutil.CollectAndCount(m.violations); got != 1 || testutil.ToFloat64(m.lastSuccess) != 1000 {
		t.Errorf("the previous report is gone: %d series, last success %v", got, testutil.ToFloat64(m.lastSuccess))
	}
	if !strings.Contains(buf.String(), "compliance pass failed") {
		t.Errorf("log %s", buf.String())
	}
}

func TestConfig(t *testing.T) {
	var c Config
	if err := config.LoadFrom(config.FromMap(map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1"}), &c); err != nil {
		t.Fatal(err)
	}
	if c.Interval != 5*time.Minute || c.ScratchNamespace != "shipshape-compliance-scratch" || c.API.BaseURL() != "https://10.0.0.1:443" {
		t.Errorf("defaults %+v", c)
	}
	for variable, value := range map[string]string{
		"COMPLIANCE_INTERVAL": "10ms", "COMPLIANCE_TIMEOUT": "0s", "COMPLIANCE_ADMIN_ADDR": "nine",
		"LOG_LEVEL": "loud", "KUBERNETES_SERVICE_HOST": "",
	} {
		env := map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", variable: value}
		var c Config
		if err := config.LoadFrom(config.FromMap(env), &c); err == nil || !strings.Contains(err.Error(), "config: "+variable+":") {
			t.Errorf("%s=%q: %v, want an error naming it", variable, value, err)
		}
	}
}
