//go:build cluster

package cluster_test

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// auditEvent is the part of an audit.k8s.io/v1 Event the test reads.
type auditEvent struct {
	Level     string                    `json:"level"`
	Verb      string                    `json:"verb"`
	Stage     string                    `json:"stage"`
	User      struct{ Username string } `json:"user"`
	ObjectRef struct {
		Resource, Namespace, Name string
	} `json:"objectRef"`
	RequestObject json.RawMessage `json:"requestObject"`
}

// auditLog is the API server's audit log (up.sh), beside the admin
// kubeconfig in the cluster's state directory.
func auditLog(t *testing.T) string {
	t.Helper()
	return filepath.Join(filepath.Dir(clustertest.Env(t, "KUBECONFIG")), "audit", "audit.log")
}

// TestAuditRecordsWritesWithoutSecretData: a ConfigMap the test writes is
// in the audit log with the test's identity and the request body; a Secret
// it writes is there too, but its value appears nowhere in the log (not
// even base64-encoded), because Secrets are logged at metadata level.
func TestAuditRecordsWritesWithoutSecretData(t *testing.T) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	suffix := hex.EncodeToString(b[:4])
	secretValue := "audit-canary-" + hex.EncodeToString(b)
	cm, secret := "audit-probe-"+suffix, "audit-secret-"+suffix
	kubectl(t, "create", "configmap", cm, "--from-literal=colour=teal")
	kubectl(t, "create", "secret", "generic", secret, "--from-literal=password="+secretValue)
	t.Cleanup(func() { _, _ = kubectlErr("delete", "configmap", cm, "secret", secret, "--wait=false") })
	me := strings.TrimSpace(kubectl(t, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"))

	var cmEvent, secretEvent *auditEvent
	clustertest.Poll(t, 30*time.Second, time.Second, "the writes in the audit log", func() error {
		f, err := os.Open(auditLog(t))
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, secretValue) || strings.Contains(line, base64.StdEncoding.EncodeToString([]byte(secretValue))) {
				t.Fatalf("the audit log holds the Secret's value:\n%s", line)
			}
			var e auditEvent
			if json.Unmarshal([]byte(line), &e) != nil || e.Verb != "create" || e.Stage != "ResponseComplete" {
				continue
			}
			switch {
			case e.ObjectRef.Resource == "configmaps" && e.ObjectRef.Name == cm:
				cmEvent = &e
			case e.ObjectRef.Resource == "secrets" && e.ObjectRef.Name == secret:
				secretEvent = &e
			}
		}
		if err := sc.Err(); err != nil {
			return err
		}
		if cmEvent == nil || secretEvent == nil {
			return fmt.Errorf("ConfigMap entry found: %v, Secret entry found: %v", cmEvent != nil, secretEvent != nil)
		}
		return nil
	})
	if cmEvent.User.Username != me || cmEvent.ObjectRef.Namespace != namespace {
		t.Errorf("the ConfigMap's creation is attributed to %q in %q, want %q in %q", cmEvent.User.Username, cmEvent.ObjectRef.Namespace, me, namespace)
	}
	if cmEvent.Level != "Request" || !strings.Contains(string(cmEvent.RequestObject), "teal") {
		t.Errorf("the ConfigMap's entry is at level %s without its body: %s", cmEvent.Level, cmEvent.RequestObject)
	}
	if secretEvent.Level != "Metadata" || len(secretEvent.RequestObject) != 0 || secretEvent.User.Username != me {
		t.Errorf("the Secret's entry: level %s, user %q, body %s; want Metadata, %q, none", secretEvent.Level, secretEvent.User.Username, secretEvent.RequestObject, me)
	}
}
