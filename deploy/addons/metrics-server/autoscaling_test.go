//go:build cluster

package metricsserver_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/loadgen"
)

// catalog's HorizontalPodAutoscaler as staging and production have it
// (components/hpa).
const catalogHPA = "../../kubernetes/apps/components/hpa/catalog.yaml"

// The test's only override: scale-in starts after 20 s of calm instead of
// the component's 300 s; the pace of scale-in (a pod a minute) and all of
// scale-out are the component's own.
const scaleInCalm = `{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":20}}}}`

// Under the load generator's browsing traffic through the gateway,
// catalog's HPA scales catalog out on CPU; once the load falls it scales
// catalog back in; every request sent while it scaled either way is served.
func TestCatalogScalesOutUnderLoadAndBackIn(t *testing.T) {
	replicas := clustertest.Kubectl(t, "shipshape", "get", "deployment", "catalog", "-o", "jsonpath={.spec.replicas}")
	clustertest.Kubectl(t, "shipshape", "apply", "--server-side", "--field-manager=shipshape-test", "-f", catalogHPA)
	t.Cleanup(func() {
		clustertest.Kubectl(t, "shipshape", "delete", "hpa", "catalog", "--ignore-not-found")
		clustertest.Kubectl(t, "shipshape", "scale", "deployment", "catalog", "--replicas="+replicas)
	})
	clustertest.Kubectl(t, "shipshape", "patch", "hpa", "catalog", "--type=merge", "-p", scaleInCalm)
	minReplicas := atoi(t, clustertest.Kubectl(t, "shipshape", "get", "hpa", "catalog", "-o", "jsonpath={.spec.minReplicas}"))
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "the HPA to read catalog's CPU and hold its minimum", func() error {
		return catalogAt(t, minReplicas, true)
	})

	mix, err := loadgen.ReadMix("")
	if err != nil {
		t.Fatal(err)
	}
	api := clustertest.ServiceURL(t, "shipshape", "gateway", 8080) + "/api/v1"
	// load runs the browsing part of the shop mix at rate until scaled()
	// holds (checked every 5 s) or within has passed, and returns the report.
	load := func(phase string, rate float64, within time.Duration, scaled func() error) *loadgen.Report {
		stop := make(chan struct{})
		var (
			wg     sync.WaitGroup
			report *loadgen.Report
			runErr error
		)
		wg.Go(func() {
			report, runErr = loadgen.Run(t.Context(), loadgen.Options{API: api, Mix: mix.Anonymous(), Rate: rate,
				Ramp: 10 * time.Second, Steady: within, MaxInFlight: 500, Timeout: 10 * time.Second,
				SpreadClients: true, Stop: stop})
		})
		began := time.Now()
		err := clustertest.PollErr(within, 5*time.Second, scaled)
		close(stop)
		wg.Wait()
		if runErr != nil {
			t.Fatalf("%s: the load generator: %v", phase, runErr)
		}
		t.Logf("%s: %.0f journeys/s, %s until scaled; %d requests, %d ok, %d throttled, %d failed, p99 %s",
			phase, rate, time.Since(began).Round(time.Second), report.Total.Requests, report.Total.OK,
			report.Total.Throttled, report.Total.Errors, p99s(report))
		if err != nil {
			t.Fatalf("%s: not scaled within %s: %v\n%s", phase, within, err, hpaState(t))
		}
		if !report.Clean() {
			t.Errorf("%s: not every request was served:\n%s", phase, report.Markdown())
		}
		return report
	}

	var peak string
	load("scale-out", 60, 4*time.Minute, func() error {
		ready := readyCatalogs(t)
		state := hpaState(t)
		if ready <= minReplicas {
			return fmt.Errorf("%d ready replicas (minimum %d); %s", ready, minReplicas, state)
		}
		peak = fmt.Sprintf("%d ready replicas (HPA: %s)", ready, state)
		return nil
	})
	t.Logf("scaled out to %s", peak)
	// A trickle keeps flowing while pods leave, so that scale-in is shown
	// losing nothing too.
	load("scale-in", 5, 5*time.Minute, func() error { return catalogAt(t, minReplicas, false) })
}

// catalogAt says whether catalog runs exactly n pods (none terminating)
// and, with metrics, whether the HPA reads a CPU utilisation.
func catalogAt(t *testing.T, n int, metrics bool) error {
	state := hpaState(t)
	if metrics && strings.Contains(state, "cpu=%") {
		return fmt.Errorf("no CPU reading yet: %s", state)
	}
	pods := strings.Fields(clustertest.Kubectl(t, "shipshape", "get", "pods", "-l", "app.kubernetes.io/name=catalog,app.kubernetes.io/component!=seed",
		"-o", `jsonpath={range .items[*]}{.metadata.name}{"/"}{.metadata.deletionTimestamp}{" "}{end}`))
	ready := readyCatalogs(t)
	if len(pods) != n || ready != n {
		return fmt.Errorf("%d catalog pods (%v), %d ready, want %d; %s", len(pods), pods, ready, n, state)
	}
	return nil
}

// readyCatalogs is catalog's Deployment's ready replicas.
func readyCatalogs(t *testing.T) int {
	return atoi(t, clustertest.Kubectl(t, "shipshape", "get", "deployment", "catalog", "-o", "jsonpath={.status.readyReplicas}"))
}

func hpaState(t *testing.T) string {
	return clustertest.Kubectl(t, "shipshape", "get", "hpa", "catalog", "-o",
		`jsonpath=desired={.status.desiredReplicas} current={.status.currentReplicas} cpu={.status.currentMetrics[0].resource.current.averageUtilization}%`)
}

func atoi(t *testing.T, s string) int {
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

func p99s(r *loadgen.Report) string {
	var parts []string
	for _, x := range r.Routes {
		parts = append(parts, fmt.Sprintf("%s %.0f ms", x.Route, x.P99))
	}
	return strings.Join(parts, ", ")
}
