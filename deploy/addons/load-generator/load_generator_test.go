//go:build cluster

// Package loadgenerator_test checks the load generator add-on in the test
// cluster (make test-cluster, every run).
package loadgenerator_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

const ns = "shipshape-load"

// The load generator's Job, made from the CronJob's template with a short
// schedule of its own, runs the shop mix from inside the cluster through
// the gateway Service (past both namespaces' network policies and the
// admission policies), completes, and reports every request served.
func TestJobDrivesTheShopThroughTheGateway(t *testing.T) {
	name := fmt.Sprintf("loadgen-test-%d", time.Now().Unix())
	tmpl := clustertest.Object(t, ns, "cronjob", "loadgen")["spec"].(map[string]any)["jobTemplate"].(map[string]any)
	containers := tmpl["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)
	c := containers[0].(map[string]any)
	// the template's own schedule replaced by a short one
	own := regexp.MustCompile(`^-(rate|ramp|steady|users)=`)
	args := []any{}
	for _, a := range c["args"].([]any) {
		if !own.MatchString(a.(string)) {
			args = append(args, a)
		}
	}
	c["args"] = append(args, "-rate=10", "-ramp=2s", "-steady=10s", "-users=10")
	job := map[string]any{"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": tmpl["metadata"].(map[string]any)["labels"]},
		"spec":     tmpl["spec"]}
	manifest, err := json.Marshal(job)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := clustertest.KubectlIn(ns, string(manifest), "create", "-f", "-"); err != nil {
		t.Fatalf("creating the Job: %v\n%s", err, out)
	}
	t.Cleanup(func() { clustertest.Kubectl(t, ns, "delete", "job", name, "--ignore-not-found") })
	var finished string
	err = clustertest.PollErr(3*time.Minute, 2*time.Second, func() error {
		finished = clustertest.Kubectl(t, ns, "get", "job", name, "-o", "jsonpath={.status.succeeded}/{.status.failed}")
		if finished == "/" {
			return fmt.Errorf("still running")
		}
		return nil
	})
	if err != nil || finished != "1/" {
		logs, _ := clustertest.KubectlIn(ns, "", "logs", "job/"+name, "--tail=60")
		events, _ := clustertest.KubectlIn(ns, "", "get", "events", "--sort-by=.lastTimestamp")
		t.Fatalf("the Job did not succeed (succeeded/failed %q, %v)\nlogs:\n%s\nevents:\n%s", finished, err, logs, events)
	}
	logs := clustertest.Kubectl(t, ns, "logs", "job/"+name)
	// | route | requests | ok | rejected | throttled | errors | ...
	rows := regexp.MustCompile(`(?m)^\| ([^|]+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|`).FindAllStringSubmatch(logs, -1)
	if len(rows) < 2 {
		t.Fatalf("no report in the Job's log:\n%s", logs)
	}
	for _, row := range rows {
		n := func(i int) int { v, _ := strconv.Atoi(row[i]); return v }
		route, requests, rejected, throttled, errors := row[1], n(2), n(4), n(5), n(6)
		switch {
		case route == "**all**" && requests < 100:
			t.Errorf("%d requests in all, want over 100", requests)
		case throttled+errors > 0:
			t.Errorf("%s: %d throttled, %d failed; want every request served", route, throttled, errors)
		// a kept cluster's shop sells out under repeated runs: only a
		// purchase may be refused
		case rejected > 0 && route != "cart add" && route != "checkout" && route != "**all**":
			t.Errorf("%s: %d refused; only buying may be (sold out)", route, rejected)
		}
	}
	t.Logf("the Job's report:\n%s", regexp.MustCompile(`(?s)# Load report.*`).FindString(logs))
}
