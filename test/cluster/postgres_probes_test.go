//go:build cluster

package cluster_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// A replica that is not ready must be waited for, not killed: its
// PostgreSQL is stopped while Patroni is paused (so nothing starts it
// again), as a member being rebuilt or catching up is down for a while.
// Readiness takes the pod out of service at once; liveness, which asks
// only whether Patroni's loop runs, keeps passing through a whole liveness
// failure window, so the container is not restarted. Resumed, Patroni
// starts PostgreSQL and the same container turns ready again.
func TestPostgresReplicaNotReadyIsNotRestarted(t *testing.T) {
	rolledOut(t)
	checkLeaderIs(t, "postgres-0")

	scaleMembers(t, 2)
	stacktest.Eventually(t, 5*time.Minute, "postgres-1 replicating and ready", func() bool {
		_, _, ok := clustertest.HealthyMembers(clustertest.PatroniMembers("postgres-0"), 2, false)
		return ok && podReady(t, "postgres-1") == "True"
	})
	restarts := restartCount(t, "postgres-1", "postgres")

	clustertest.Patronictl(t, "postgres-0", "pause", "--wait")
	t.Cleanup(func() {
		_, _ = kubectlErr("exec", "postgres-0", "-c", "postgres", "--", "patronictl", "resume", "--wait")
	})
	kubectl(t, "exec", "postgres-1", "-c", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "stop",
		"-D", "/var/lib/postgresql/data/pgdata", "-m", "fast")
	stacktest.Eventually(t, time.Minute, "postgres-1 not ready", func() bool { return podReady(t, "postgres-1") == "False" })

	// Longer than the liveness probe takes to restart a container whose
	// probe fails (period x failureThreshold), plus one period.
	window := livenessWindow(t, "postgres")
	t.Logf("postgres-1 is not ready; watching it for %s (the liveness failure window)", window)
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for end := time.Now().Add(window); time.Now().Before(end); <-tick.C {
		if n := restartCount(t, "postgres-1", "postgres"); n != restarts {
			t.Fatalf("the not-ready replica was restarted (restartCount %d -> %d)\n%s", restarts, n, diagnose())
		}
		if podReady(t, "postgres-1") != "False" {
			t.Fatal("postgres-1 turned ready with its PostgreSQL stopped")
		}
	}

	clustertest.Patronictl(t, "postgres-0", "resume", "--wait")
	stacktest.Eventually(t, 2*time.Minute, "postgres-1 ready again", func() bool {
		_, _, ok := clustertest.HealthyMembers(clustertest.PatroniMembers("postgres-0"), 2, false)
		return ok && podReady(t, "postgres-1") == "True"
	})
	if n := restartCount(t, "postgres-1", "postgres"); n != restarts {
		t.Errorf("postgres-1's container restarted (restartCount %d -> %d); it should have been waited for", restarts, n)
	}
}

// podReady is the pod's Ready condition: "True", "False" or "" (no pod).
func podReady(t testing.TB, pod string) string {
	t.Helper()
	out, _ := kubectlErr("get", "pod", pod, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`)
	return strings.TrimSpace(out)
}

// restartCount is how often the kubelet restarted a container of a pod.
func restartCount(t testing.TB, pod, container string) int {
	t.Helper()
	out := kubectl(t, "get", "pod", pod, "-o", `jsonpath={.status.containerStatuses[?(@.name=="`+container+`")].restartCount}`)
	n, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("restartCount of %s/%s: %q", pod, container, out)
	}
	return n
}

// livenessWindow is how long a failing liveness probe of the StatefulSet's
// container takes to get it restarted, plus one period.
func livenessWindow(t testing.TB, container string) time.Duration {
	t.Helper()
	var probe struct{ PeriodSeconds, FailureThreshold int }
	raw := kubectl(t, "get", "statefulset", "postgres", "-o",
		`jsonpath={.spec.template.spec.containers[?(@.name=="`+container+`")].livenessProbe}`)
	if err := json.Unmarshal([]byte(raw), &probe); err != nil || probe.PeriodSeconds == 0 {
		t.Fatalf("liveness probe of %s: %q %v", container, raw, err)
	}
	return time.Duration(probe.PeriodSeconds*(probe.FailureThreshold+1)) * time.Second
}
