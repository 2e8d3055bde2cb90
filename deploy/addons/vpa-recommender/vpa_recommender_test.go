//go:build cluster

// Package vparecommender_test checks the VPA recommender add-on in the test
// cluster (make test-cluster, with the metrics-server add-on).
package vparecommender_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

func TestMain(m *testing.M) { clustertest.Main(m) }

// The project's VPAs (components/vpa, recommendations only).
const vpaComponent = "../../kubernetes/apps/components/vpa"

type vpa struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		TargetRef struct {
			Kind string `json:"kind"`
			Name string `json:"name"`
		} `json:"targetRef"`
	} `json:"spec"`
	Status struct {
		Recommendation struct {
			ContainerRecommendations []struct {
				ContainerName string            `json:"containerName"`
				Target        map[string]string `json:"target"`
				UpperBound    map[string]string `json:"upperBound"`
			} `json:"containerRecommendations"`
		} `json:"recommendation"`
	} `json:"status"`
}

// Every workload the vpa component names gets a recommendation for each
// of its containers, CPU and memory, from the pods' measured usage; the
// recommendations are printed (docs/kubernetes.md's right-sizing table
// starts from them).
func TestRecommendsForEveryWorkloadTheComponentNames(t *testing.T) {
	clustertest.Kubectl(t, "autoscaling", "rollout", "status", "deployment/vpa-recommender", "--timeout=120s")
	files := componentResources(t)
	for _, f := range files {
		clustertest.Kubectl(t, "shipshape", "apply", "--server-side", "--field-manager=shipshape-test", "-f", f)
	}
	t.Cleanup(func() {
		for _, f := range files {
			clustertest.Kubectl(t, "shipshape", "delete", "--ignore-not-found", "-f", f)
		}
		clustertest.Kubectl(t, "shipshape", "delete", "verticalpodautoscalercheckpoints", "--all")
	})
	var vpas []vpa
	clustertest.Poll(t, 5*time.Minute, 10*time.Second, "a recommendation for every container", func() error {
		var list struct{ Items []vpa }
		if err := json.Unmarshal([]byte(clustertest.Kubectl(t, "shipshape", "get", "vpa", "-o", "json")), &list); err != nil {
			return err
		}
		var missing []string
		for _, v := range list.Items {
			want := containers(t, v.Spec.TargetRef.Kind, v.Spec.TargetRef.Name)
			var got []string
			for _, r := range v.Status.Recommendation.ContainerRecommendations {
				if r.Target["cpu"] != "" && r.Target["memory"] != "" {
					got = append(got, r.ContainerName)
				}
			}
			for _, c := range want {
				if !slices.Contains(got, c) {
					missing = append(missing, v.Metadata.Name+"/"+c)
				}
			}
		}
		if len(list.Items) != len(files) || len(missing) > 0 {
			return fmt.Errorf("%d of %d VPAs; no recommendation yet for %v", len(list.Items), len(files), missing)
		}
		vpas = list.Items
		return nil
	})
	for _, v := range vpas {
		for _, r := range v.Status.Recommendation.ContainerRecommendations {
			t.Logf("%s/%s: target cpu %s memory %s; upper bound cpu %s memory %s", v.Spec.TargetRef.Name, r.ContainerName,
				r.Target["cpu"], r.Target["memory"], r.UpperBound["cpu"], r.UpperBound["memory"])
		}
	}
}

// componentResources lists the component's VPA files, as its
// kustomization names them.
func componentResources(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(vpaComponent, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Resources []string `yaml:"resources"`
	}
	if err := yaml.Unmarshal(raw, &k); err != nil || len(k.Resources) == 0 {
		t.Fatalf("the vpa component's resources: %v", err)
	}
	var files []string
	for _, r := range k.Resources {
		files = append(files, filepath.Join(vpaComponent, r))
	}
	return files
}

// containers are the names of a workload's pod template's containers.
func containers(t *testing.T, kind, name string) []string {
	return strings.Fields(clustertest.Kubectl(t, "shipshape", "get", strings.ToLower(kind), name,
		"-o", `jsonpath={.spec.template.spec.containers[*].name}`))
}
