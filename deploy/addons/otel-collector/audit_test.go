//go:build cluster

package otelcollector_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// TestAuditEventsReachTheLogStore: the API server's audit event for a
// write is in VictoriaLogs within a minute, searchable by the object's
// name, with the verb and the writer's identity as fields, and without the
// request body as a field of its own.
func TestAuditEventsReachTheLogStore(t *testing.T) {
	name := "audit-shipped-" + uuid.NewString()[:8]
	clustertest.Kubectl(t, "log-collection", "create", "configmap", name, "--from-literal=colour=teal")
	t.Cleanup(func() {
		_, _ = clustertest.KubectlIn("log-collection", "", "delete", "configmap", name, "--wait=false")
	})
	me := strings.TrimSpace(clustertest.Kubectl(t, "", "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"))
	clustertest.Poll(t, 60*time.Second, 2*time.Second, "the ConfigMap's audit event in VictoriaLogs", func() error {
		lines, err := logsQL(t, fmt.Sprintf(`service.name:=kube-apiserver-audit AND objectRef.name:=%q AND verb:=create`, name))
		if err != nil {
			return err
		}
		for _, l := range lines {
			if l["stage"] != "ResponseComplete" {
				continue
			}
			if l["user.username"] != me || l["objectRef.namespace"] != "log-collection" {
				t.Fatalf("the audit event's fields: %v", l)
			}
			for field := range l {
				if strings.HasPrefix(field, "requestObject") {
					t.Fatalf("the request body is a field of its own (%s): %v", field, l)
				}
			}
			return nil
		}
		return fmt.Errorf("no audit event for %s yet (%d lines)", name, len(lines))
	})
}
