//go:build cluster

package cluster_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// firstPod names a pod of the workload with the given app.kubernetes.io/name.
func firstPod(t testing.TB, name string) string {
	t.Helper()
	pod := strings.TrimSpace(kubectl(t, "get", "pods", "-l", "app.kubernetes.io/name="+name,
		"--field-selector=status.phase=Running", "-o", "jsonpath={.items[0].metadata.name}"))
	if pod == "" {
		t.Fatalf("no running pod of %s", name)
	}
	return pod
}

// The postgres ServiceAccount, as the API server authorizes it, may patch
// Patroni's ConfigMaps and the members' pods and nothing else of the
// namespace: not identity's pod (its image), not the gateway's or the
// storefront's configuration, and it may not update or delete even
// Patroni's own ConfigMaps (Patroni only patches).
func TestPostgresAccountChangesOnlyPatroniObjects(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	gatewayConfig := strings.TrimSpace(kubectl(t, "get", "deployment", "gateway", "-o",
		`jsonpath={.spec.template.spec.volumes[?(@.name=="config")].configMap.name}`))
	webConfig := strings.TrimSpace(kubectl(t, "get", "deployment", "web", "-o",
		"jsonpath={.spec.template.spec.containers[0].envFrom[0].configMapRef.name}"))
	identity := firstPod(t, "identity")
	for _, c := range []struct {
		verb, resource string
		want           bool
	}{
		{"patch", "configmap/shipshape-leader", true},
		{"patch", "configmap/shipshape-config", true},
		{"patch", "pod/postgres-0", true},
		{"patch", "pod/" + identity, false},
		{"update", "pod/" + identity, false},
		{"patch", "configmap/" + gatewayConfig, false},
		{"patch", "configmap/" + webConfig, false},
		{"delete", "configmap/" + gatewayConfig, false},
		{"update", "configmap/shipshape-leader", false},
		{"delete", "configmap/shipshape-leader", false},
		{"deletecollection", "configmaps", false},
		{"get", "secrets", false},
	} {
		out, _ := kubectlErr("auth", "can-i", c.verb, c.resource, "--as=system:serviceaccount:shipshape:postgres")
		if got := strings.TrimSpace(out) == "yes"; got != c.want {
			t.Errorf("postgres may %s %s: %q, want %v", c.verb, c.resource, strings.TrimSpace(out), c.want)
		}
	}
}

// The two containers of a member that call the API, Patroni and dbagent
// (its fence, internal/dbagent/fence.go), each hold a token of the postgres
// service account from a volume of its own, and each token is refused a
// change to identity's pod or the gateway's configuration by the API
// server (a server-side dry run, which is authorized like the real request
// and changes nothing), while it may change Patroni's leader ConfigMap.
func TestMembersTokensChangeOnlyPatronisObjects(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")
	const tokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	gatewayConfig := strings.TrimSpace(kubectl(t, "get", "deployment", "gateway", "-o",
		`jsonpath={.spec.template.spec.volumes[?(@.name=="config")].configMap.name}`))
	annotate := `{"metadata":{"annotations":{"shipshape.dev/test":"token"}}}`
	for _, container := range []string{"postgres", "dbagent"} {
		token := strings.TrimSpace(kubectl(t, "exec", "postgres-0", "-c", container, "--", "cat", tokenFile))
		as := tokenKubectl(t, token)
		for _, target := range []string{"pod/" + firstPod(t, "identity"), "configmap/" + gatewayConfig} {
			out, err := as("patch", target, "--type=merge", "-p", annotate, "--dry-run=server")
			if err == nil || !strings.Contains(out, "Forbidden") {
				t.Errorf("%s's token patching %s: %v %s; want Forbidden", container, target, err, out)
			}
		}
		if out, err := as("patch", "configmap/shipshape-leader", "--type=merge", "-p", annotate, "--dry-run=server"); err != nil {
			t.Errorf("%s's token patching Patroni's leader ConfigMap: %v %s", container, err, out)
		}
	}
}

// tokenKubectl returns a kubectl for the shipshape namespace that
// authenticates with token alone (a kubeconfig of its own: the admin
// kubeconfig's client certificate would take precedence).
func tokenKubectl(t *testing.T, token string) func(args ...string) (string, error) {
	t.Helper()
	server := strings.TrimSpace(kubectl(t, "config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"))
	ca := strings.TrimSpace(kubectl(t, "config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.certificate-authority}"))
	config := filepath.Join(t.TempDir(), "token.kubeconfig")
	data := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: %q, certificate-authority: %q}}]
users: [{name: u, user: {token: %q}}]
contexts: [{name: c, context: {cluster: c, user: u, namespace: %s}}]
current-context: c
`, server, ca, token, namespace)
	if err := os.WriteFile(config, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "kubectl", append([]string{"--kubeconfig", config}, args...)...).CombinedOutput()
		return string(out), err
	}
}
