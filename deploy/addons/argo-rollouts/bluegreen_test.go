//go:build cluster

package argorollouts_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// activeVersion is the template hash the storefront's Service sends
// production traffic to.
func activeVersion(t *testing.T) string {
	t.Helper()
	return clustertest.Kubectl(t, ns, "get", "service", "web", "-o", "jsonpath={.spec.selector.rollouts-pod-template-hash}")
}

// smokeReport is the log of the smoke journey's Job that the analysis of
// the version ran, and whether the Job succeeded.
func smokeReport(t *testing.T, hash string) (string, bool) {
	t.Helper()
	results := analysisRun(t, hash).Status.MetricResults
	if len(results) != 1 {
		t.Fatalf("the analysis of %s has %d metric results, want the smoke journey's: %+v", hash, len(results), results)
	}
	ms := results[0].Measurements
	if len(ms) != 1 {
		t.Fatalf("the smoke journey of %s was measured %d times, want once", hash, len(ms))
	}
	job := ms[0].Metadata["job-name"]
	if job == "" {
		t.Fatalf("the smoke journey's measurement names no Job: %+v", ms[0])
	}
	return clustertest.Kubectl(t, ns, "logs", "job/"+job), ms[0].Phase == "Successful"
}

// storefrontBlueGreen, under steady page loads through the storefront's
// Service: a good version is switched to only after its smoke journey
// passed against the preview, with no failed page load; `undo` switches
// back, with none; a bad version (every page failing) fails its smoke
// journey, is aborted and never serves a production page; the runbook
// puts the serving version's template back.
func storefrontBlueGreen(t *testing.T) {
	web := clustertest.ServiceURL(t, ns, "web", 3000)
	pages := clustertest.StartLoad(2, clustertest.Target{URL: web + "/"}, clustertest.Target{URL: web + "/products"})
	t.Cleanup(pages.Stop)
	clustertest.Poll(t, time.Minute, time.Second, "page loads to start", func() error {
		if pages.OK.Load() < 20 {
			return fmt.Errorf("%s", pages)
		}
		return nil
	})
	blue := healthy(t, "web", time.Minute)
	if active := activeVersion(t); active != blue {
		t.Fatalf("the web Service sends traffic to %q, want the stable version %s", active, blue)
	}

	// A good green: previewed, smoke-tested, switched to.
	began := time.Now()
	green := release(t, "web", `{"spec":{"template":{"metadata":{"annotations":{"shipshape.dev/release":"green"}}}}}`, blue)
	if promoted := healthy(t, "web", 5*time.Minute); promoted != green {
		t.Fatalf("web's stable version is %s after the release, want %s", promoted, green)
	}
	report, ok := smokeReport(t, green)
	if !ok || !strings.Contains(report, "none failed") {
		t.Fatalf("the good version's smoke journey did not pass:\n%s", report)
	}
	if active := activeVersion(t); active != green {
		t.Errorf("after the switch the web Service sends traffic to %q, want %s", active, green)
	}
	if n := pages.Failed.Load(); n != 0 {
		t.Fatalf("page loads failed during the switch to green: %s", pages)
	}
	t.Logf("switched to green in %s after its smoke journey:\n%s%s", time.Since(began).Round(time.Second), report, pages)

	// undo: back to blue, whose pods come back without a new smoke run
	// (the rollback window), then the switch.
	rb, switchedBack := rollbackRunbook(t, "web")
	began = time.Now()
	switchedBack.Run(t, rb, "status")
	switchedBack.Run(t, rb, "undo")
	if back := healthy(t, "web", 2*time.Minute); back != blue {
		t.Fatalf("after undo web's stable version is %s, want blue, %s", back, blue)
	}
	if active := activeVersion(t); active != blue {
		t.Errorf("after undo the web Service sends traffic to %q, want blue, %s", active, blue)
	}
	if n := pages.Failed.Load(); n != 0 {
		t.Fatalf("page loads failed while undo switched back to blue: %s", pages)
	}
	t.Logf("undo switched back to blue in %s; %s", time.Since(began).Round(time.Second), pages)

	// A bad green: every page fails (the fault switch at 1; its health
	// checks pass, so it starts and is previewed as a real one would be).
	began = time.Now()
	bad := release(t, "web", `{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"FAULT_ERROR_RATIO","value":"1"}]}]}}}}`, blue)
	aborted(t, "web", 5*time.Minute)
	report, ok = smokeReport(t, bad)
	if ok || !strings.Contains(report, "FAIL 503") {
		t.Errorf("the bad version's smoke journey, want failed with 503s:\n%s", report)
	}
	if active := activeVersion(t); active != blue {
		t.Errorf("with the bad version aborted the web Service sends traffic to %q, want blue, %s", active, blue)
	}
	gone(t, "web", bad)
	t.Logf("the bad version aborted after %s, its smoke journey:\n%s", time.Since(began).Round(time.Second), report)

	// The aborted version's template taken back with the runbook.
	abortedBack := &clustertest.Drill{Dir: switchedBack.Dir, Env: switchedBack.Env}
	abortedBack.Run(t, rb, "status")
	abortedBack.Run(t, rb, "undo")
	if back := healthy(t, "web", time.Minute); back != blue {
		t.Errorf("after undoing the aborted version web's stable version is %s, want blue, %s", back, blue)
	}
	// a production page that had reached the bad version would have failed
	pages.Finish(t, 100)
	if n := pages.Failed.Load(); n != 0 {
		t.Errorf("%d page loads failed: %s", n, pages)
	}
	t.Logf("page loads through the storefront's Service: %s", pages)
	for _, err := range []error{switchedBack.FollowedExcept(rb, "abort"), abortedBack.FollowedExcept(rb, "abort")} {
		if err != nil {
			t.Error(err)
		}
	}
}
