package clustertest

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// A Deployment as one might have applied it before the admission rules: no
// security context, no resources, no probes. Zero replicas: the compliance
// report reads objects, and nothing needs to run.
const driftedDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: drifted}
spec:
  replicas: 0
  selector: {matchLabels: {app: drifted}}
  template:
    metadata: {labels: {app: drifted}}
    spec:
      containers:
        - name: app
          image: IMAGE
`

// The same Deployment meeting every rule, and the namespace's default deny.
const fixedDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: drifted}
spec:
  replicas: 0
  selector: {matchLabels: {app: drifted}}
  template:
    metadata: {labels: {app: drifted}}
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

// ComplianceDrift creates a namespace the admission policies do not cover
// (not labelled shipshape.dev/admission=enforced) holding a Deployment that
// breaks the pod-security and resources policies, and no default-deny
// NetworkPolicy; fix makes both compliant. The namespace is deleted when
// the test ends. want lists what the compliance report must say about it,
// as "kind/name policy", sorted.
func ComplianceDrift(t testing.TB) (ns string, want []string, fix func()) {
	t.Helper()
	ns = "compliance-drill-" + uuid.NewString()[:8]
	Kubectl(t, "", "create", "namespace", ns)
	t.Cleanup(func() { _, _ = KubectlIn("", "", "delete", "namespace", ns, "--wait=false") })
	image := BusyboxImage(t)
	apply := func(manifest string) {
		t.Helper()
		if out, err := KubectlIn(ns, strings.ReplaceAll(manifest, "IMAGE", image), "apply", "-f", "-"); err != nil {
			t.Fatalf("kubectl apply: %v\n%s", err, out)
		}
	}
	apply(driftedDeployment)
	want = []string{"Deployment/drifted shipshape-pod-security", "Deployment/drifted shipshape-resources", "Namespace/" + ns + " network-policy"}
	return ns, want, func() { apply(fixedDeployment) }
}

// BusyboxImage is the test cluster's busybox image (test.sh exports it).
func BusyboxImage(t testing.TB) string {
	t.Helper()
	return Env(t, "BUSYBOX_IMAGE")
}
