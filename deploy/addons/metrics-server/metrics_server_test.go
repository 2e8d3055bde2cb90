//go:build cluster

// Package metricsserver_test checks the metrics-server add-on in the test
// cluster (make test-cluster): the resource metrics API, and catalog's
// HorizontalPodAutoscaler scaling on it under load.
package metricsserver_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// usage is a metrics.k8s.io list: each pod's containers' usage.
type usage struct {
	Items []struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Usage      map[string]string `json:"usage"`
		Containers []struct {
			Name  string            `json:"name"`
			Usage map[string]string `json:"usage"`
		} `json:"containers"`
	} `json:"items"`
}

func readUsage(path string) (usage, error) {
	var u usage
	out, err := clustertest.KubectlIn("", "", "get", "--raw", path)
	if err != nil {
		return u, fmt.Errorf("%v: %s", err, out)
	}
	return u, json.Unmarshal([]byte(out), &u)
}

// Through the API server's aggregation, metrics.k8s.io serves the node's
// usage and every running shipshape pod's, per container, and RBAC keeps
// it from a workload that has no business reading it.
func TestServesTheResourceMetricsAPI(t *testing.T) {
	clustertest.Kubectl(t, "autoscaling", "rollout", "status", "deployment/metrics-server", "--timeout=120s")
	clustertest.Poll(t, 2*time.Minute, 5*time.Second, "the APIService to be available", func() error {
		status := clustertest.Kubectl(t, "", "get", "apiservice", "v1beta1.metrics.k8s.io",
			"-o", `jsonpath={.status.conditions[?(@.type=="Available")].status}`)
		if status != "True" {
			return fmt.Errorf("Available=%q", status)
		}
		return nil
	})
	clustertest.Poll(t, time.Minute, 5*time.Second, "the node's usage", func() error {
		u, err := readUsage("/apis/metrics.k8s.io/v1beta1/nodes")
		if err != nil {
			return err
		}
		if len(u.Items) != 1 || u.Items[0].Usage["cpu"] == "" || u.Items[0].Usage["memory"] == "" {
			return fmt.Errorf("node usage %+v, want one node with cpu and memory", u.Items)
		}
		return nil
	})
	pods := strings.Fields(clustertest.Kubectl(t, "shipshape", "get", "pods", "--field-selector=status.phase=Running",
		"-o", `jsonpath={range .items[*]}{.metadata.name}{"="}{range .spec.containers[*]}{.name}{","}{end}{" "}{end}`))
	clustertest.Poll(t, 2*time.Minute, 5*time.Second, "every shipshape pod's usage", func() error {
		u, err := readUsage("/apis/metrics.k8s.io/v1beta1/namespaces/shipshape/pods")
		if err != nil {
			return err
		}
		got := map[string]map[string]string{}
		for _, p := range u.Items {
			for _, c := range p.Containers {
				if c.Usage["memory"] != "" && c.Usage["memory"] != "0" && c.Usage["cpu"] != "" {
					got[p.Metadata.Name+"/"+c.Name] = c.Usage
				}
			}
		}
		var missing []string
		for _, p := range pods {
			name, containers, _ := strings.Cut(p, "=")
			for c := range strings.SplitSeq(strings.TrimSuffix(containers, ","), ",") {
				if got[name+"/"+c] == nil {
					missing = append(missing, name+"/"+c)
				}
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("no usage for %v", missing)
		}
		return nil
	})
	out, err := clustertest.KubectlIn("", "", "get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/shipshape/pods",
		"--as=system:serviceaccount:shipshape:catalog")
	if err == nil || !strings.Contains(out, "forbidden") {
		t.Errorf("catalog's service account read the pods' metrics: %v\n%s", err, out)
	}
}

// The API server's own OpenAPI v2 document still answers with
// metrics.k8s.io merged into it: an aggregated server whose schemas come
// out malformed (metrics-server built with an older kube-openapi under
// Go's JSON v2, addon.env) turns /openapi/v2 into a 503 for every client,
// and kubectl then refuses to validate a List.
func TestAPIServerStillServesOpenAPIV2(t *testing.T) {
	clustertest.Poll(t, 2*time.Minute, 5*time.Second, "/openapi/v2 with metrics.k8s.io merged in", func() error {
		out, err := clustertest.KubectlIn("", "", "get", "--raw", "/openapi/v2")
		if err != nil {
			return fmt.Errorf("%v: %.300s", err, out)
		}
		var doc struct {
			Swagger     string                    `json:"swagger"`
			Definitions map[string]map[string]any `json:"definitions"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			return err
		}
		if doc.Swagger != "2.0" || doc.Definitions["io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics"] == nil {
			return fmt.Errorf("swagger %q with %d definitions, none for PodMetrics", doc.Swagger, len(doc.Definitions))
		}
		for name, def := range doc.Definitions {
			if def["SchemaProps"] != nil || def["ArbitraryKeys"] != nil {
				return fmt.Errorf("definition %s is written with the schema's Go field names", name)
			}
		}
		return nil
	})
	list := `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"openapi-v2-check","namespace":"autoscaling"}}]}`
	if out, err := clustertest.KubectlIn("", list, "apply", "--dry-run=server", "-f", "-"); err != nil {
		t.Fatalf("kubectl could not validate a List: %v\n%s", err, out)
	}
}
