//go:build cluster

// Package alertmanager_test proves the alerting path in the test cluster
// (make test-cluster): a real fault fires its alert in Prometheus, which
// reaches a webhook receiver through Alertmanager, and resolves when the
// fault is gone; the inhibition rule holds back the alerts a database
// outage causes.
package alertmanager_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// receiverAddr is where test/cluster/addons/alertmanager.yaml
// points Alertmanager: the node address, reachable from every pod.
const receiverAddr = "10.250.0.1:19093"

func TestMain(m *testing.M) { clustertest.Main(m) }

// notification is the part of Alertmanager's webhook payload the tests read.
type notification struct {
	Receiver string `json:"receiver"`
	Status   string `json:"status"`
	Alerts   []struct {
		Status string            `json:"status"`
		Labels map[string]string `json:"labels"`
	} `json:"alerts"`
}

// receiver records every notification the webhook receives.
type receiver struct {
	mu   sync.Mutex
	got  []notification
	srv  *http.Server
	addr string
}

func startReceiver(t *testing.T) *receiver {
	t.Helper()
	ln, err := net.Listen("tcp", receiverAddr)
	if err != nil {
		t.Fatalf("the webhook receiver listens on the node address: %v", err)
	}
	r := &receiver{}
	r.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var n notification
		if err := json.NewDecoder(req.Body).Decode(&n); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n.Receiver = strings.TrimPrefix(req.URL.Path, "/")
		r.mu.Lock()
		r.got = append(r.got, n)
		r.mu.Unlock()
	})}
	go r.srv.Serve(ln)
	t.Cleanup(func() { r.srv.Close() })
	return r
}

// find reports whether receiver got alert name with status (firing or
// resolved) and the labels given.
func (r *receiver) find(receiver, name, status string, labels map[string]string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.got {
		if n.Receiver != receiver {
			continue
		}
		for _, a := range n.Alerts {
			if a.Labels["alertname"] == name && a.Status == status && matches(a.Labels, labels) {
				return true
			}
		}
	}
	return false
}

func (r *receiver) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, n := range r.got {
		for _, a := range n.Alerts {
			fmt.Fprintf(&b, "%s: %s %v\n", n.Receiver, a.Status, a.Labels)
		}
	}
	return b.String()
}

func matches(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// firingInPrometheus reports whether Prometheus has the alert firing.
func firingInPrometheus(prom, name string, labels map[string]string) (bool, error) {
	var resp struct {
		Data struct {
			Alerts []struct {
				Labels map[string]string `json:"labels"`
				State  string            `json:"state"`
			} `json:"alerts"`
		} `json:"data"`
	}
	if err := clustertest.GetJSON(prom+"/api/v1/alerts", &resp); err != nil {
		return false, err
	}
	for _, a := range resp.Data.Alerts {
		if a.Labels["alertname"] == name && a.State == "firing" && matches(a.Labels, labels) {
			return true, nil
		}
	}
	return false, nil
}

// Catalog scaled to zero is an outage Prometheus sees through
// kube-state-metrics: ShipshapeWorkloadUnavailable fires, Alertmanager
// pages through the page webhook within 3 minutes, and once catalog is
// back the page receiver gets the resolution.
func TestCatalogDownPagesAndResolves(t *testing.T) {
	rec := startReceiver(t)
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	clustertest.Kubectl(t, "monitoring", "rollout", "status", "statefulset/alertmanager-shipshape", "--timeout=180s")
	replicas := strings.TrimSpace(clustertest.Kubectl(t, "shipshape", "get", "deployment", "catalog", "-o", "jsonpath={.spec.replicas}"))
	restore := func() {
		clustertest.Kubectl(t, "shipshape", "scale", "deployment/catalog", "--replicas="+replicas)
		clustertest.Kubectl(t, "shipshape", "rollout", "status", "deployment/catalog", "--timeout=180s")
	}
	want := map[string]string{"namespace": "shipshape", "deployment": "catalog", "severity": "critical"}
	if ok, err := firingInPrometheus(prom, "ShipshapeWorkloadUnavailable", want); err != nil || ok {
		t.Fatalf("before the fault: firing %v, error %v; want a healthy catalog", ok, err)
	}

	faulted := time.Now()
	clustertest.Kubectl(t, "shipshape", "scale", "deployment/catalog", "--replicas=0")
	restored := false
	defer func() {
		if !restored {
			restore()
		}
	}()
	clustertest.Poll(t, 3*time.Minute, 2*time.Second, "ShipshapeWorkloadUnavailable at the page webhook", func() error {
		if rec.find("page", "ShipshapeWorkloadUnavailable", "firing", want) {
			return nil
		}
		firing, err := firingInPrometheus(prom, "ShipshapeWorkloadUnavailable", want)
		return fmt.Errorf("firing in Prometheus: %v (%v); notifications so far:\n%s", firing, err, rec)
	})
	t.Logf("fault to page: %s", time.Since(faulted).Round(time.Second))

	restore()
	restored = true
	back := time.Now()
	clustertest.Poll(t, 4*time.Minute, 2*time.Second, "the resolution at the page webhook", func() error {
		if rec.find("page", "ShipshapeWorkloadUnavailable", "resolved", want) {
			return nil
		}
		firing, err := firingInPrometheus(prom, "ShipshapeWorkloadUnavailable", want)
		return fmt.Errorf("still firing in Prometheus: %v (%v); notifications so far:\n%s", firing, err, rec)
	})
	t.Logf("recovery to resolution: %s", time.Since(back).Round(time.Second))
}

// The inhibition rule, shown on the real Alertmanager with alerts posted
// to its API: while PostgresDown fires in a namespace, that namespace's
// ShipshapeServiceErrors is suppressed (never notified), and the same
// alert in another namespace, with no database outage, still pages.
func TestDatabaseDownInhibitsServiceErrors(t *testing.T) {
	rec := startReceiver(t)
	am := clustertest.ServiceURL(t, "monitoring", "alertmanager", 9093)
	suffix := fmt.Sprint(time.Now().UnixNano())
	inhibited, control := "inhibit-"+suffix, "control-"+suffix
	alert := func(name, ns string) map[string]any {
		return map[string]any{
			"labels":   map[string]string{"alertname": name, "namespace": ns, "severity": "critical", "service": "catalog"},
			"startsAt": time.Now().UTC().Format(time.RFC3339),
			"endsAt":   time.Now().Add(10 * time.Minute).UTC().Format(time.RFC3339),
		}
	}
	body, _ := json.Marshal([]any{alert("PostgresDown", inhibited), alert("ShipshapeServiceErrors", inhibited), alert("ShipshapeServiceErrors", control)})
	resp, err := http.Post(am+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("posting alerts: %s", resp.Status)
	}
	// Alertmanager's own view: the service errors alert is suppressed by
	// the database alert.
	clustertest.Poll(t, time.Minute, time.Second, "ShipshapeServiceErrors inhibited", func() error {
		var alerts []struct {
			Labels map[string]string `json:"labels"`
			Status struct {
				State       string   `json:"state"`
				InhibitedBy []string `json:"inhibitedBy"`
			} `json:"status"`
		}
		if err := clustertest.GetJSON(am+"/api/v2/alerts?filter=namespace%3D%22"+inhibited+"%22", &alerts); err != nil {
			return err
		}
		for _, a := range alerts {
			if a.Labels["alertname"] == "ShipshapeServiceErrors" && a.Status.State == "suppressed" && len(a.Status.InhibitedBy) > 0 {
				return nil
			}
		}
		return fmt.Errorf("alerts in %s: %+v", inhibited, alerts)
	})
	// The receivers: the cause and the uninhibited control page; the
	// inhibited alert, grouped and flushed with them, does not.
	clustertest.Poll(t, 2*time.Minute, time.Second, "the database page and the control page", func() error {
		if rec.find("page", "PostgresDown", "firing", map[string]string{"namespace": inhibited}) &&
			rec.find("page", "ShipshapeServiceErrors", "firing", map[string]string{"namespace": control}) {
			return nil
		}
		return fmt.Errorf("notifications so far:\n%s", rec)
	})
	if rec.find("page", "ShipshapeServiceErrors", "firing", map[string]string{"namespace": inhibited}) {
		t.Errorf("the inhibited alert was notified:\n%s", rec)
	}
}
