//go:build cluster

package argorollouts_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// catalogTraffic is what the load sends: catalog's listing through the
// gateway, served by every catalog pod in turn.
func catalogTraffic(t *testing.T) []clustertest.Target {
	api := clustertest.ServiceURL(t, ns, "gateway", 8080) + "/api/v1"
	return []clustertest.Target{{URL: api + "/products?pageSize=3"}, {URL: api + "/categories"}}
}

// noDataRun starts an analysis of catalog's template for a version that
// has no pods: every query of it returns no data.
func noDataRun(t *testing.T, stable string) string {
	t.Helper()
	const name = "catalog-no-data"
	// a kubectl plugin takes the namespace after its name
	if out, err := clustertest.KubectlIn("", "", "argo", "rollouts", "-n", ns, "create", "analysisrun", "--from", "service-health",
		"--name", name, "-a", "service=catalog", "-a", "canary-hash=no-such-version", "-a", "stable-hash="+stable); err != nil {
		t.Fatalf("creating the analysis of a version without pods: %v\n%s", err, out)
	}
	return name
}

// failedForNoData checks that the analysis of a version without pods
// failed, each metric on failed measurements only.
func failedForNoData(t *testing.T, name string) {
	t.Helper()
	var run analysisRunStatus
	clustertest.Poll(t, 3*time.Minute, 2*time.Second, "the analysis without data to end", func() error {
		out, err := clustertest.KubectlIn(ns, "", "get", "analysisrun", name, "-o", "json")
		if err != nil {
			return err
		}
		run = analysisRunStatus{}
		if err := json.Unmarshal([]byte(out), &run); err != nil {
			return err
		}
		if phase := run.Status.Phase; phase == "" || phase == "Running" || phase == "Pending" {
			return fmt.Errorf("phase %q", phase)
		}
		return nil
	})
	got := run.measurements()
	if phase := run.Status.Phase; phase != "Failed" {
		t.Errorf("an analysis whose queries return no data ended %v, want Failed: %v", phase, got)
	}
	if len(got) != 3 {
		t.Errorf("the analysis without data measured %d metrics, want the template's 3: %v", len(got), got)
	}
	for metric, phases := range got {
		if phases["Failed"] == 0 || phases["Failed"] != sum(phases) {
			t.Errorf("%s without data: measurements %v, want failed ones only", metric, phases)
		}
	}
	t.Logf("the analysis of a version without pods: %v", got)
}

func sum(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

// canaryReleases, under l's traffic to catalog: a good catalog release is
// promoted by its analysis through every step with no failed request, and
// a bad one (the fault switch on) is aborted by the analysis at the first
// step, with few failed requests while the canary
// served and none after. The rollback runbook's steps take releases back:
// a promoted one, the aborted one, and a canary an operator stops. An
// analysis of a version without data fails.
func canaryReleases(t *testing.T, l *clustertest.Load) {
	stable := healthy(t, "catalog", time.Minute)
	// measured while the releases run; its verdict is read after the first
	noData := noDataRun(t, stable)

	// A good release: promoted by the analysis alone.
	began := time.Now()
	good := release(t, "catalog", `{"spec":{"template":{"metadata":{"annotations":{"shipshape.dev/release":"good"}}}}}`, stable)
	if promoted := healthy(t, "catalog", 6*time.Minute); promoted != good {
		t.Fatalf("catalog's stable version is %s after the release, want %s", promoted, good)
	}
	run := analysisRun(t, good)
	if phase := run.Status.Phase; phase != "Successful" {
		t.Fatalf("the good release's analysis: %v, want Successful: %v", phase, run.measurements())
	}
	for metric, phases := range run.measurements() {
		if phases["Successful"] == 0 {
			t.Errorf("the good release's %s: measurements %v, want at least one successful", metric, phases)
		}
	}
	if n := l.Failed.Load(); n != 0 {
		t.Fatalf("requests failed during the good release: %s", l)
	}
	t.Logf("good release promoted in %s, analysis %v; %s", time.Since(began).Round(time.Second), run.measurements(), l)
	failedForNoData(t, noData)

	// A promoted release taken back with the runbook: the previous version
	// returns at once (within the rollback window: no steps, no analysis).
	rb, promotedBack := rollbackRunbook(t, "catalog")
	began = time.Now()
	promotedBack.Run(t, rb, "status")
	promotedBack.Run(t, rb, "undo")
	if back := healthy(t, "catalog", time.Minute); back != stable {
		t.Fatalf("after undoing the good release the stable version is %s, want the one before it, %s", back, stable)
	}
	if n := l.Failed.Load(); n != 0 {
		t.Fatalf("requests failed while the promoted release was undone: %s", l)
	}
	t.Logf("the promoted release undone in %s", time.Since(began).Round(time.Second))

	// A bad release: 5% of the canary's calls fail; the analysis (at most
	// 1%) aborts it and the stable version keeps serving.
	okBefore, failedBefore := l.OK.Load(), l.Failed.Load()
	began = time.Now()
	bad := release(t, "catalog", `{"spec":{"template":{"spec":{"containers":[{"name":"catalog","env":[{"name":"FAULT_ERROR_RATIO","value":"0.05"}]}]}}}}`, stable)
	lastStep := aborted(t, "catalog", 5*time.Minute)
	// steps 0 and 1: the 20% weight and its pause
	if lastStep > 1 {
		t.Errorf("the bad release reached step %d before its abort, want it caught in the first (20%% and its pause)", lastStep)
	}
	abortedAfter := time.Since(began)
	gone(t, "catalog", bad)
	during := l.OK.Load() - okBefore + l.Failed.Load() - failedBefore
	failedDuring := l.Failed.Load() - failedBefore
	share := float64(failedDuring) / float64(during)
	t.Logf("bad release aborted after %s: %d of %d requests failed while its canary served (%.2f%%)",
		abortedAfter.Round(time.Second), failedDuring, during, 100*share)
	if share >= 0.05 {
		t.Errorf("%.2f%% of the requests failed during the bad canary, want under 5%%: %s", 100*share, l)
	}
	failedAfter := l.Failed.Load()
	if r, err := getRollout("catalog"); err != nil || r.Status.StableRS != stable {
		t.Errorf("after the abort the stable version is %q (%v), want %s", r.Status.StableRS, err, stable)
	}

	// The aborted release's template taken back with the runbook: the
	// Rollout is Healthy on the stable version without a new canary.
	abortedBack := &clustertest.Drill{Dir: promotedBack.Dir, Env: promotedBack.Env}
	abortedBack.Run(t, rb, "status")
	abortedBack.Run(t, rb, "undo")
	if back := healthy(t, "catalog", time.Minute); back != stable {
		t.Errorf("after undoing the aborted release the stable version is %s, want %s", back, stable)
	}

	// A canary an operator stops before its analysis has a verdict.
	release(t, "catalog", `{"spec":{"template":{"metadata":{"annotations":{"shipshape.dev/release":"stopped"}}}}}`, stable)
	clustertest.Poll(t, 2*time.Minute, time.Second, "the canary serving its 20%", func() error {
		r, err := getRollout("catalog")
		if err != nil {
			return err
		}
		if r.Status.StepIndex == nil || *r.Status.StepIndex < 1 {
			return fmt.Errorf("phase %s (%s), step %v", r.Status.Phase, r.Status.Message, r.Status.StepIndex)
		}
		return nil
	})
	stopped := &clustertest.Drill{Dir: promotedBack.Dir, Env: promotedBack.Env}
	for _, step := range rb.Names() {
		stopped.Run(t, rb, step)
	}
	if back := healthy(t, "catalog", time.Minute); back != stable {
		t.Errorf("after the stopped canary the stable version is %s, want %s", back, stable)
	}
	l.Finish(t, 300)
	if n := l.Failed.Load() - failedAfter; n != 0 {
		t.Errorf("%d requests failed after the abort, through the undos and the stopped canary: %s", n, l)
	}
	for _, err := range []error{promotedBack.FollowedExcept(rb, "abort"), abortedBack.FollowedExcept(rb, "abort"), stopped.Followed(rb)} {
		if err != nil {
			t.Error(err)
		}
	}
}
