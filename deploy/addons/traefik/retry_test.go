//go:build cluster

package traefik_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// retryCheck names the Service and the Ingresses the retry test adds
// to the shop's namespace (and removes); each path is one Ingress's, one with
// connect-retry and one without; each gets requestsPerPath requests.
const (
	retryCheck      = "edge-retry-check"
	retriedPath     = "/" + retryCheck + "/with"
	unguardPath     = "/" + retryCheck + "/without"
	requestsPerPath = 20
)

// A connection to a backend that the network refuses, before any of the
// request is sent, is tried again on the next backend by connect-retry
// (edge.yaml): what a new Traefik replica meets while the backends'
// NetworkPolicy rules do not admit its address yet, made lasting here.
// The Service behind both paths has two endpoints, the storefront's pod
// and a pod of identity, to which Traefik's NetworkPolicy forbids
// connections (kube-router rejects them at once). Without the middleware
// some requests are answered 502 (the refusal is real); with it every one
// reaches the storefront (its own 404 page for an unknown path). Traefik
// v3.6 counts a middleware's retries neither in its access log nor in its
// metrics, so the answers are the evidence.
func TestARefusedBackendConnectionIsRetriedOnTheNextBackend(t *testing.T) {
	client := clustertest.TheEdge(t).Client("")
	// a new connection per request, so that both Traefik replicas serve
	client.Transport.(*http.Transport).DisableKeepAlives = true
	live := podIP(t, "app.kubernetes.io/name=web")
	refusing := podIP(t, "app.kubernetes.io/name=identity")
	if out, err := clustertest.KubectlIn("shipshape", retryFixture(live, refusing), "apply", "-f", "-"); err != nil {
		t.Fatalf("applying the retry check's Service and Ingresses: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		_, _ = clustertest.KubectlIn("shipshape", retryFixture(live, refusing), "delete", "--ignore-not-found", "-f", "-")
	})

	// until Traefik routes both paths to both endpoints
	clustertest.Poll(t, 90*time.Second, 500*time.Millisecond, "both paths routed to both endpoints", func() error {
		got := map[int]int{}
		for range 6 {
			status, _, err := storefrontAnswer(client, unguardPath)
			if err != nil {
				return err
			}
			got[status]++
		}
		if got[http.StatusNotFound] == 0 || got[http.StatusBadGateway] == 0 {
			return fmt.Errorf("%s answered %v, want the storefront's 404 and Traefik's 502", unguardPath, got)
		}
		_, fromStorefront, err := storefrontAnswer(client, retriedPath)
		if err == nil && !fromStorefront {
			err = errors.New(retriedPath + " not routed yet")
		}
		return err
	})

	unguarded, retried := map[int]int{}, map[int]int{}
	for range requestsPerPath {
		for path, statuses := range map[string]map[int]int{unguardPath: unguarded, retriedPath: retried} {
			status, fromStorefront, err := storefrontAnswer(client, path)
			switch {
			case err != nil:
				t.Fatalf("GET %s: %v", path, err)
			case status == http.StatusNotFound && !fromStorefront:
				t.Fatalf("GET %s: Traefik's own 404: the route is gone", path)
			}
			statuses[status]++
		}
	}
	t.Logf("%d requests each: without connect-retry %v, with it %v", requestsPerPath, unguarded, retried)
	if unguarded[http.StatusBadGateway] == 0 {
		t.Errorf("without connect-retry no request was answered 502: the refusing endpoint was not tried")
	}
	if retried[http.StatusNotFound] != requestsPerPath {
		t.Errorf("with connect-retry: %v, want all %d answered by the storefront", retried, requestsPerPath)
	}
}

// storefrontAnswer GETs path on the shop's host and says whether the
// storefront answered (its pages are HTML; Traefik's own 404 and 502 are
// plain text).
func storefrontAnswer(client *http.Client, path string) (int, bool, error) {
	resp, err := client.Get("https://" + host + path)
	if err != nil {
		return 0, false, err
	}
	resp.Body.Close()
	return resp.StatusCode, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"), nil
}

// podIP is the address of a ready pod in shipshape with the label given.
func podIP(t *testing.T, selector string) string {
	t.Helper()
	var list struct {
		Items []struct {
			Status struct {
				PodIP      string `json:"podIP"`
				Conditions []struct {
					Type, Status string
				} `json:"conditions"`
			} `json:"status"`
		} `json:"items"`
	}
	out := clustertest.Kubectl(t, "shipshape", "get", "pods", "-l", selector, "-o", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	for _, p := range list.Items {
		for _, c := range p.Status.Conditions {
			if c.Type == "Ready" && c.Status == "True" && p.Status.PodIP != "" {
				return p.Status.PodIP
			}
		}
	}
	t.Fatalf("no ready pod with %s", selector)
	return ""
}

// retryFixture is a Service without a selector whose endpoints are live
// and refusing (one EndpointSlice each: Traefik takes an address once),
// and an Ingress per path, one with connect-retry.
func retryFixture(live, refusing string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: v1
kind: Service
metadata: {name: %[1]s}
spec:
  ports: [{name: http, port: 3000, targetPort: 3000, protocol: TCP}]
`, retryCheck)
	for name, ip := range map[string]string{"live": live, "refusing": refusing} {
		fmt.Fprintf(&b, `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: %[1]s-%[2]s
  labels: {kubernetes.io/service-name: %[1]s, endpointslice.kubernetes.io/managed-by: shipshape-tests}
addressType: IPv4
ports: [{name: http, port: 3000, protocol: TCP}]
endpoints: [{addresses: [%[3]s], conditions: {ready: true}}]
`, retryCheck, name, ip)
	}
	for _, ing := range []struct{ name, path, metadata string }{
		{retryCheck, retriedPath, "\n  annotations: {traefik.ingress.kubernetes.io/router.middlewares: connect-retry@file}"},
		{retryCheck + "-none", unguardPath, ""},
	} {
		fmt.Fprintf(&b, `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %[1]s%[2]s
spec:
  ingressClassName: traefik
  rules:
    - host: %[3]s
      http:
        paths:
          - {path: %[4]s, pathType: Prefix, backend: {service: {name: %[5]s, port: {name: http}}}}
`, ing.name, ing.metadata, host, ing.path, retryCheck)
	}
	return b.String()
}
