//go:build cluster

package cluster_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// Each Go service's runtime sized itself from its container's limits: a
// scheduler thread per CPU of the limit (Go's own cgroup support) and a
// soft memory limit of 90% of the memory limit (package memlimit), as the
// "serving" line of its log says. Without the second, a service near its
// limit is OOM-killed where a limit-aware collector would have kept it up.
func TestGoRuntimeSizedFromTheContainerLimits(t *testing.T) {
	rolledOut(t)
	nodeCPUs, err := strconv.Atoi(strings.TrimSpace(kubectl(t, "get", "nodes", "-o", "jsonpath={.items[0].status.capacity.cpu}")))
	if err != nil {
		t.Fatal(err)
	}
	for _, service := range []string{"identity", "catalog", "cart", "orders"} {
		var d struct {
			Spec struct {
				Template struct {
					Spec struct {
						Containers []struct {
							Name      string
							Resources struct{ Limits map[string]string }
						}
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(kubectl(t, "get", "deployment", service, "-o", "json")), &d); err != nil {
			t.Fatal(err)
		}
		c := d.Spec.Template.Spec.Containers[0]
		cpu, err := manifestcheck.ParseQuantity(c.Resources.Limits["cpu"])
		if err != nil {
			t.Fatal(err)
		}
		mem, err := manifestcheck.ParseQuantity(c.Resources.Limits["memory"])
		if err != nil {
			t.Fatal(err)
		}
		// Go's rule: the limit rounded up, at least 2, at most the node's CPUs
		wantProcs := min(nodeCPUs, max(2, int(math.Ceil(cpu))))
		wantMem := fmt.Sprintf("%.1f MiB", math.Floor(mem*0.9)/(1<<20))

		line := servingLine(t, service, c.Name)
		if line == nil {
			t.Errorf("%s: no \"serving\" line in its log", service)
			continue
		}
		if procs, _ := line["gomaxprocs"].(float64); int(procs) != wantProcs {
			t.Errorf("%s: gomaxprocs %v with a CPU limit of %s, want %d", service, line["gomaxprocs"], c.Resources.Limits["cpu"], wantProcs)
		}
		if line["memory_limit"] != wantMem {
			t.Errorf("%s: memory_limit %v with a memory limit of %s, want %s", service, line["memory_limit"], c.Resources.Limits["memory"], wantMem)
		}
	}
}

// servingLine is the JSON log line a service writes once its listeners
// are up, or nil.
func servingLine(t *testing.T, deployment, container string) map[string]any {
	t.Helper()
	logs := kubectl(t, "logs", "deployment/"+deployment, "-c", container)
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) == nil && line["msg"] == "serving" {
			return line
		}
	}
	return nil
}
