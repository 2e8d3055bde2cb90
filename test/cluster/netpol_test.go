//go:build cluster

package cluster_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// probePod starts a busybox pod in the namespace, labelled as the workload
// "name" so that the network policies treat it as one, and returns a
// function that tries a TCP connection from it.
func probePod(t *testing.T, pod, name string) func(host string, port int) error {
	t.Helper()
	return probePodIn(t, namespace, pod, name)
}

// probePodIn is probePod in namespace ns.
func probePodIn(t *testing.T, ns, pod, name string) func(host string, port int) error {
	t.Helper()
	image := clustertest.BusyboxImage(t)
	manifest := fmt.Sprintf(`{"apiVersion":"v1","kind":"Pod",
	  "metadata":{"name":%q,"namespace":%q,"labels":{"app.kubernetes.io/name":%q,"shipshape.dev/test":"network-policy"}},
	  "spec":{"automountServiceAccountToken":false,"terminationGracePeriodSeconds":0,
	    "securityContext":{"runAsNonRoot":true,"runAsUser":65532,"runAsGroup":65532,"seccompProfile":{"type":"RuntimeDefault"}},
	    "containers":[{"name":"probe","image":%q,"imagePullPolicy":"Never","command":["sleep","3600"],
	      "resources":{"requests":{"cpu":"10m","memory":"16Mi","ephemeral-storage":"1Mi"},"limits":{"cpu":"100m","memory":"32Mi","ephemeral-storage":"8Mi"}},
	      "securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}}]}}`,
		pod, ns, name, image)
	if out, err := kubectlIn(ns, manifest, "apply", "-f", "-"); err != nil {
		t.Fatalf("create %s: %v\n%s", pod, err, out)
	}
	t.Cleanup(func() { _, _ = kubectlIn(ns, "", "delete", "pod", pod, "--wait=false") })
	if out, err := kubectlIn(ns, "", "wait", "--for=condition=Ready", "pod/"+pod, "--timeout=120s"); err != nil {
		t.Fatalf("%s not ready: %v\n%s\n%s", pod, err, out, diagnose())
	}
	return func(host string, port int) error {
		// nc -e runs true once connected: exit 0 means the connection opened
		// (busybox's -e takes the rest of the line, so it comes last).
		out, err := kubectlIn(ns, "", "exec", pod, "--", "nc", "-w", "3", host, fmt.Sprint(port), "-e", "true")
		if err != nil {
			return fmt.Errorf("%v: %s", err, strings.TrimSpace(out))
		}
		return nil
	}
}

// allowed waits until a connection opens (kube-router applies a new pod's
// rules within moments of its start).
func allowed(t *testing.T, dial func(string, int) error, from, host string, port int) {
	t.Helper()
	var last error
	stacktest.Eventually(t, 30*time.Second, fmt.Sprintf("%s to reach %s:%d", from, host, port), func() bool {
		last = dial(host, port)
		return last == nil
	})
}

// denied requires a connection to fail twice in a row, within the same
// grace period for the pod's rules to be applied.
func denied(t *testing.T, dial func(string, int) error, from, host string, port int) {
	t.Helper()
	stacktest.Eventually(t, 30*time.Second, fmt.Sprintf("%s to be refused %s:%d", from, host, port), func() bool {
		return dial(host, port) != nil && dial(host, port) != nil
	})
}

// The network-policies component, enforced by kube-router: a pod that no
// allow rule names reaches nothing but DNS; a pod labelled as the gateway
// reaches the services' REST port but not PostgreSQL; one labelled as
// catalog reaches PostgreSQL but not Patroni's REST API, which only the
// members reach.
func TestNetworkPoliciesAreEnforced(t *testing.T) {
	rolledOut(t)
	intruder := probePod(t, "netpol-intruder", "intruder")
	gateway := probePod(t, "netpol-as-gateway", "gateway")
	catalog := probePod(t, "netpol-as-catalog", "catalog")
	member := probePod(t, "netpol-as-postgres", "postgres")
	const patroniAPI = "postgres-0.postgres-headless"

	allowed(t, catalog, "catalog", "postgres", 5432)
	allowed(t, gateway, "gateway", "catalog", 8080)
	allowed(t, gateway, "gateway", "identity", 8080)
	allowed(t, member, "a postgres member", patroniAPI, 8008)

	denied(t, intruder, "an unlabelled pod", "postgres", 5432)
	denied(t, intruder, "an unlabelled pod", "catalog", 8080)
	denied(t, intruder, "an unlabelled pod", "identity", 8080)
	denied(t, gateway, "gateway", "postgres", 5432)
	denied(t, catalog, "catalog", patroniAPI, 8008)
	denied(t, intruder, "an unlabelled pod", patroniAPI, 8008)
	// The same pod reaches what is allowed for everyone: name resolution.
	if out, err := kubectlErr("exec", "netpol-intruder", "--", "nslookup", "postgres.shipshape.svc.cluster.local."); err != nil {
		t.Fatalf("DNS from the unlabelled pod: %v\n%s", err, out)
	}
}
