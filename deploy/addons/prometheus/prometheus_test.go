//go:build cluster

// Package prometheus_test checks the Prometheus add-on in the test cluster
// (make test-cluster): it scrapes every shipshape pod and the cluster's
// own targets, and has loaded the project's rules.
package prometheus_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

type target struct {
	Labels    map[string]string `json:"labels"`
	ScrapeURL string            `json:"scrapeUrl"`
	Health    string            `json:"health"`
	LastError string            `json:"lastError"`
}

func targets(t *testing.T, prom string) ([]target, error) {
	var resp struct {
		Data struct {
			ActiveTargets []target `json:"activeTargets"`
		} `json:"data"`
	}
	err := clustertest.GetJSON(prom+"/api/v1/targets?state=active", &resp)
	return resp.Data.ActiveTargets, err
}

// scrapedPods are the shipshape pods that must be scraped: every running
// pod of the apps (services, gateway, storefront, PostgreSQL members), not
// the pods of one-off Jobs (the catalog seed, snapshots).
func scrapedPods(t *testing.T) []string {
	out := clustertest.Kubectl(t, "shipshape", "get", "pods", "-l", "app.kubernetes.io/part-of=shipshape,!batch.kubernetes.io/job-name",
		"--field-selector=status.phase=Running", "-o", "jsonpath={.items[*].metadata.name}")
	pods := strings.Fields(out)
	sort.Strings(pods)
	return pods
}

func TestEveryShipshapeTargetIsUp(t *testing.T) {
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	pods := scrapedPods(t)
	if len(pods) < 7 {
		t.Fatalf("only %d scraped pods running (%v): is the test overlay deployed?", len(pods), pods)
	}
	clusterJobs := []string{"kubelet", "apiserver", "kube-state-metrics", "prometheus-operator", "prometheus", "alertmanager"}
	// Targets appear after the operator has written the configuration and
	// the reloader has applied it, then need one scrape each.
	clustertest.Poll(t, 4*time.Minute, 5*time.Second, "every target up", func() error {
		ts, err := targets(t, prom)
		if err != nil {
			return err
		}
		var problems []string
		perPod := map[string]int{}
		jobsUp := map[string]bool{}
		for _, tg := range ts {
			if tg.Health == "up" {
				jobsUp[tg.Labels["job"]] = true
			}
			if tg.Labels["namespace"] != "shipshape" {
				continue
			}
			perPod[tg.Labels["pod"]]++
			if tg.Health != "up" {
				problems = append(problems, fmt.Sprintf("%s (pod %s) is %s: %s", tg.ScrapeURL, tg.Labels["pod"], tg.Health, tg.LastError))
			}
		}
		for _, p := range pods {
			if perPod[p] == 0 {
				problems = append(problems, "pod "+p+" is no target")
			}
		}
		for _, j := range clusterJobs {
			if !jobsUp[j] {
				problems = append(problems, "no target of job "+j+" is up")
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%d targets seen:\n%s", len(ts), strings.Join(problems, "\n"))
		}
		return nil
	})
}

// The project's rule groups are loaded: the PrometheusRules reached
// Prometheus through the operator's selector.
func TestProjectRulesAreLoaded(t *testing.T) {
	prom := clustertest.ServiceURL(t, "monitoring", "prometheus", 9090)
	want := []string{"postgres-backups", "postgres-availability", "orders-recovery", "shipshape-services"}
	clustertest.Poll(t, 3*time.Minute, 5*time.Second, "the project's rule groups", func() error {
		var resp struct {
			Data struct {
				Groups []struct {
					Name string `json:"name"`
				} `json:"groups"`
			} `json:"data"`
		}
		if err := clustertest.GetJSON(prom+"/api/v1/rules?type=alert", &resp); err != nil {
			return err
		}
		loaded := map[string]bool{}
		for _, g := range resp.Data.Groups {
			loaded[g.Name] = true
		}
		for _, w := range want {
			if !loaded[w] {
				return fmt.Errorf("rule group %s not loaded (loaded: %v)", w, loaded)
			}
		}
		return nil
	})
}
