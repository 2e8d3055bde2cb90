//go:build cluster

package otelcollector_test

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// The workloads whose logs and spans one checkout must produce.
var services = []string{"gateway", "orders", "catalog", "cart"}

// checkout is one shopper's checkout through the gateway with the given
// X-Request-Id and a fresh W3C trace; it returns the trace id.
func checkout(t *testing.T, requestID string) string {
	t.Helper()
	traceID := randomHex(t, 16)
	clustertest.Checkout(t, stacktest.Header{"X-Request-Id": requestID, "traceparent": "00-" + traceID + "-" + randomHex(t, 8) + "-01"})
	return traceID
}

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// logsQL runs a LogsQL query against VictoriaLogs and returns the lines.
func logsQL(t *testing.T, query string) ([]map[string]string, error) {
	t.Helper()
	vl := clustertest.ServiceURL(t, "observability", "victorialogs", 9428)
	resp, err := http.Get(vl + "/select/logsql/query?query=" + url.QueryEscape(query))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("query %q: %d %s", query, resp.StatusCode, body)
	}
	var lines []map[string]string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var l map[string]string
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("query %q: line %q: %v", query, sc.Text(), err)
		}
		lines = append(lines, l)
	}
	return lines, sc.Err()
}

// TestRequestLogsAreCorrelated: a checkout sent through the gateway with a
// known X-Request-Id is in VictoriaLogs within 30 s, with lines from the
// gateway, orders, catalog and cart, each with its Kubernetes namespace,
// pod and container, and all with the trace id the request carried.
func TestRequestLogsAreCorrelated(t *testing.T) {
	requestID := "observed-" + uuid.NewString()
	traceID := checkout(t, requestID)
	clustertest.Poll(t, 30*time.Second, 2*time.Second, "the checkout's log lines in VictoriaLogs", func() error {
		lines, err := logsQL(t, fmt.Sprintf(`request_id:=%q`, requestID))
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, l := range lines {
			if l["k8s.namespace.name"] != "shipshape" || l["k8s.pod.name"] == "" || l["k8s.container.name"] == "" {
				t.Fatalf("line without its Kubernetes attributes: %v", l)
			}
			if l["trace_id"] != traceID {
				t.Fatalf("line with trace id %q, want %s: %v", l["trace_id"], traceID, l)
			}
			seen[l["k8s.container.name"]] = true
		}
		for _, svc := range services {
			if !seen[svc] {
				return fmt.Errorf("no line from %s yet (%d lines, from %v)", svc, len(lines), seen)
			}
		}
		return nil
	})
}

// TestCheckoutIsOneTraceInJaeger: the same kind of checkout is one trace
// in Jaeger, found by its id, with spans from the gateway, orders,
// catalog, cart and each one's SQL.
func TestCheckoutIsOneTraceInJaeger(t *testing.T) {
	tracePipelineIdle(t)
	traceID := checkout(t, "traced-"+uuid.NewString())
	jaeger := clustertest.ServiceURL(t, "observability", "jaeger", 16686)
	clustertest.Poll(t, 60*time.Second, 2*time.Second, "the checkout's trace in Jaeger", func() error {
		resp, err := http.Get(jaeger + "/api/traces/" + traceID)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var got struct {
			Data []struct {
				TraceID string `json:"traceID"`
				Spans   []struct {
					OperationName string `json:"operationName"`
					ProcessID     string `json:"processID"`
					Tags          []struct {
						Key   string `json:"key"`
						Value any    `json:"value"`
					} `json:"tags"`
				} `json:"spans"`
				Processes map[string]struct {
					ServiceName string `json:"serviceName"`
				} `json:"processes"`
			} `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			return fmt.Errorf("%d: %v", resp.StatusCode, err)
		}
		if len(got.Data) != 1 {
			return fmt.Errorf("%d: %d traces", resp.StatusCode, len(got.Data))
		}
		tr := got.Data[0]
		spans, sql := map[string]bool{}, map[string]bool{}
		for _, s := range tr.Spans {
			svc := tr.Processes[s.ProcessID].ServiceName
			spans[svc] = true
			for _, tag := range s.Tags {
				if tag.Key == "db.system.name" && tag.Value == "postgresql" {
					sql[svc] = true
				}
			}
		}
		for _, svc := range services {
			if !spans[svc] {
				return fmt.Errorf("no span from %s yet (%d spans, from %v)", svc, len(tr.Spans), spans)
			}
		}
		for _, svc := range services[1:] {
			if !sql[svc] {
				return fmt.Errorf("no SQL span from %s yet (SQL from %v)", svc, sql)
			}
		}
		return nil
	})
}

// TestMalformedLinesAreKept: a pod writes a plain-text line, broken JSON,
// bytes that are not UTF-8, a 300 KB line and then a JSON line; every one
// reaches VictoriaLogs (the odd ones as plain text), none takes the batch
// down with it.
func TestMalformedLinesAreKept(t *testing.T) {
	image := clustertest.BusyboxImage(t)
	id := randomHex(t, 8)
	script := fmt.Sprintf(`echo "plain-%[1]s"; echo '{"broken-%[1]s'; printf 'binary-%[1]s \377\376\001\n';`+
		` head -c 300000 /dev/zero | tr '\0' x; echo " huge-%[1]s"; echo '{"level":"INFO","msg":"json-%[1]s"}'; sleep 3600`, id)
	pod := "malformed-" + id
	manifest := fmt.Sprintf(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":%q,"namespace":"observability"},
"spec":{"restartPolicy":"Never","automountServiceAccountToken":false,
"securityContext":{"runAsNonRoot":true,"runAsUser":10001,"seccompProfile":{"type":"RuntimeDefault"}},
"containers":[{"name":"writer","image":%q,"imagePullPolicy":"IfNotPresent","command":["sh","-c",%q],
"resources":{"requests":{"cpu":"5m","memory":"8Mi"},"limits":{"memory":"32Mi"}},
"securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}}]}}`,
		pod, image, script)
	if out, err := clustertest.KubectlIn("", manifest, "apply", "-f", "-"); err != nil {
		t.Fatalf("kubectl apply: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = clustertest.KubectlIn("observability", "", "delete", "pod", pod, "--wait=false") })

	want := map[string]func(string) bool{
		"plain-" + id:    func(m string) bool { return m == "plain-"+id },
		`{"broken-` + id: func(m string) bool { return m == `{"broken-`+id },
		"binary-" + id: func(m string) bool {
			return strings.HasPrefix(m, "binary-"+id+" ") && strings.ContainsRune(m, '\uFFFD')
		},
		"huge-" + id: func(m string) bool { return strings.HasSuffix(m, "x huge-"+id) },
		"json-" + id: func(m string) bool { return m == "json-"+id },
	}
	clustertest.Poll(t, 60*time.Second, 2*time.Second, "every malformed line in VictoriaLogs", func() error {
		lines, err := logsQL(t, fmt.Sprintf(`k8s.pod.name:=%q`, pod))
		if err != nil {
			return err
		}
		var missing []string
		for key, ok := range want {
			found := false
			for _, l := range lines {
				found = found || strings.Contains(l["_msg"], key) && ok(l["_msg"])
			}
			if !found {
				missing = append(missing, key)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("missing %v among %d lines", missing, len(lines))
		}
		return nil
	})
}

// tracePipelineIdle waits until the trace collector has nothing queued for
// Jaeger and has refused no span for a minute, by its own metrics in
// Prometheus. An earlier test's traced load (the GitOps test sends about
// 3,600 spans a second) can leave a backlog ahead of a new trace, or the
// collector's memory limiter refusing spans, and a refused span is lost:
// the trace's own wait then measures this request's path, not the last
// test's.
func tracePipelineIdle(t *testing.T) {
	t.Helper()
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "the trace pipeline idle", func() error {
		for expr, what := range map[string]string{
			`sum(otelcol_exporter_queue_size{exporter="otlp/jaeger"})`:             "batches queued for Jaeger",
			`sum(increase(otelcol_receiver_refused_spans_total[1m])) or vector(0)`: "spans refused in the last minute",
		} {
			samples, err := clustertest.Query(prom, expr)
			if err != nil {
				return err
			}
			if len(samples) != 1 {
				return fmt.Errorf("%s: %d results", expr, len(samples))
			}
			if samples[0].Value > 0 {
				return fmt.Errorf("%.0f %s", samples[0].Value, what)
			}
		}
		return nil
	})
}
