package manifestcheck

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Cluster is the smallest cluster an environment must fit, and what it
// keeps for itself before our workloads get anything.
type Cluster struct {
	Nodes int
	Node  Resources // each node's capacity
	// NodeReserve is taken on every node: kubelet and system reservations,
	// the eviction threshold, and DaemonSets (CNI, kube-proxy, log and
	// metrics agents).
	NodeReserve Resources
	// AddonReserve is taken once: CoreDNS, the ingress controller,
	// cert-manager, External Secrets, ExternalDNS, metrics-server and the
	// VPA recommender (Prometheus is assumed to run elsewhere).
	AddonReserve Resources
}

// MinimumProductionCluster is the seed's minimum cluster: 3 nodes of 4 CPU
// and 8 GiB.
var MinimumProductionCluster = Cluster{
	Nodes:        3,
	Node:         Resources{4000, 8 << 30},
	NodeReserve:  Resources{600, 1536 << 20},
	AddonReserve: Resources{1000, 2560 << 20},
}

// Available is what the cluster leaves for the application.
func (c Cluster) Available() Resources {
	return c.Node.Sub(c.NodeReserve).Times(c.Nodes).Sub(c.AddonReserve)
}

// WorkloadCapacity is one workload at its largest.
type WorkloadCapacity struct {
	ID          string
	MaxReplicas int
	Pod         Resources // requests of one pod
	Surge       int       // extra pods during a rolling update at MaxReplicas
}

// CapacityReport sums an environment's requests at its maximum scale.
type CapacityReport struct {
	Workloads []WorkloadCapacity
	Steady    Resources // every workload at MaxReplicas
	Rollout   Resources // the largest single rolling-update surge on top
	Pods      int       // pods at maximum, surge included
	Total     Resources
	Available Resources
	// WorstNode is the most one node carries when topology spread keeps
	// every Deployment within one pod of even (ceil(max/nodes) each) and
	// the StatefulSets' pods land on it too, one of each where required
	// anti-affinity allows no more; NodeAvailable is a node's
	// capacity less its reserve and an even share of the add-ons.
	WorstNode, NodeAvailable Resources
}

// Headroom is what is left of Available at the maximum.
func (r CapacityReport) Headroom() Resources { return r.Available.Sub(r.Total) }

// Capacity computes the maximum requests of the rendered objects: each
// Deployment at its HPA's maxReplicas (spec.replicas without one), each
// StatefulSet at spec.replicas, plus the largest surge of a single rollout
// (one Deployment rolls at a time).
func Capacity(objs []Object, cluster Cluster) (CapacityReport, error) {
	hpaMax := map[string]int{}
	for _, h := range OfKind(objs, "HorizontalPodAutoscaler") {
		n, _ := h.Int("spec", "maxReplicas")
		hpaMax[h.Str("spec", "scaleTargetRef", "kind")+"/"+h.Str("spec", "scaleTargetRef", "name")] = n
	}
	rep := CapacityReport{Available: cluster.Available(),
		NodeAvailable: cluster.Node.Sub(cluster.NodeReserve).Sub(Resources{
			cluster.AddonReserve.MilliCPU / int64(cluster.Nodes), cluster.AddonReserve.Memory / int64(cluster.Nodes)})}
	for _, o := range objs {
		if o.Kind() != "Deployment" && o.Kind() != "StatefulSet" {
			continue
		}
		pod, err := PodResources(o, "requests")
		if err != nil {
			return rep, err
		}
		n, ok := hpaMax[o.Kind()+"/"+o.Name()]
		if !ok {
			if n, ok = o.Int("spec", "replicas"); !ok {
				n = 1
			}
		}
		w := WorkloadCapacity{ID: o.ID(), MaxReplicas: n, Pod: pod}
		if o.Kind() == "Deployment" {
			w.Surge, err = surge(o, n)
			if err != nil {
				return rep, err
			}
		}
		rep.Workloads = append(rep.Workloads, w)
		rep.Steady = rep.Steady.Add(pod.Times(n))
		perNode := n
		if o.Kind() == "Deployment" {
			perNode = (n + cluster.Nodes - 1) / cluster.Nodes
		}
		if OnePerNode(o) {
			perNode = min(perNode, 1)
		}
		rep.WorstNode = rep.WorstNode.Add(pod.Times(perNode))
		rep.Pods += n
		if s := pod.Times(w.Surge); s.MilliCPU > rep.Rollout.MilliCPU {
			rep.Rollout = s
		}
	}
	sort.Slice(rep.Workloads, func(i, j int) bool { return rep.Workloads[i].ID < rep.Workloads[j].ID })
	maxSurge := 0
	for _, w := range rep.Workloads {
		maxSurge = max(maxSurge, w.Surge)
	}
	rep.Pods += maxSurge
	rep.Total = rep.Steady.Add(rep.Rollout)
	return rep, nil
}

// surge is the number of extra pods a RollingUpdate creates at n replicas
// (maxSurge rounds up; the default is 25%).
func surge(d Object, n int) (int, error) {
	if d.Str("spec", "strategy", "type") == "Recreate" {
		return 0, nil
	}
	v := d.Get("spec", "strategy", "rollingUpdate", "maxSurge")
	if v == nil {
		v = "25%"
	}
	switch v := v.(type) {
	case int:
		return v, nil
	case string:
		pct, ok := strings.CutSuffix(v, "%")
		if !ok {
			return 0, fmt.Errorf("%s: maxSurge %q", d.ID(), v)
		}
		p, err := strconv.Atoi(pct)
		if err != nil {
			return 0, fmt.Errorf("%s: maxSurge %q", d.ID(), v)
		}
		return int(math.Ceil(float64(n) * float64(p) / 100)), nil
	}
	return 0, fmt.Errorf("%s: maxSurge %v", d.ID(), v)
}

// Markdown renders the report as the table in docs/kubernetes.md.
func (r CapacityReport) Markdown(c Cluster) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| workload | max replicas | CPU per pod | memory per pod | CPU at max | memory at max |\n|---|---|---|---|---|---|\n")
	for _, w := range r.Workloads {
		fmt.Fprintf(&b, "| %s | %d | %dm | %d MiB | %s | %s GiB |\n", w.ID, w.MaxReplicas, w.Pod.MilliCPU, w.Pod.Memory>>20,
			w.Pod.Times(w.MaxReplicas).CPU(), w.Pod.Times(w.MaxReplicas).Mem())
	}
	h := r.Headroom()
	fmt.Fprintf(&b, "\n| | CPU | memory |\n|---|---|---|\n")
	fmt.Fprintf(&b, "| cluster: %d nodes x %s CPU x %s GiB | %s | %s GiB |\n", c.Nodes, c.Node.CPU(), c.Node.Mem(),
		c.Node.Times(c.Nodes).CPU(), c.Node.Times(c.Nodes).Mem())
	fmt.Fprintf(&b, "| reserved per node (system, kubelet, eviction, DaemonSets) x %d | %s | %s GiB |\n", c.Nodes,
		c.NodeReserve.Times(c.Nodes).CPU(), c.NodeReserve.Times(c.Nodes).Mem())
	fmt.Fprintf(&b, "| reserved once (cluster add-ons) | %s | %s GiB |\n", c.AddonReserve.CPU(), c.AddonReserve.Mem())
	fmt.Fprintf(&b, "| **available to shipshape** | **%s** | **%s GiB** |\n", r.Available.CPU(), r.Available.Mem())
	fmt.Fprintf(&b, "| every workload at max replicas | %s | %s GiB |\n", r.Steady.CPU(), r.Steady.Mem())
	fmt.Fprintf(&b, "| plus the largest rolling-update surge | %s | %s GiB |\n", r.Rollout.CPU(), r.Rollout.Mem())
	fmt.Fprintf(&b, "| **headroom** | **%s (%d%%)** | **%s GiB (%d%%)** |\n", h.CPU(), pct(h.MilliCPU, r.Available.MilliCPU),
		h.Mem(), pct(h.Memory, r.Available.Memory))
	nh := r.NodeAvailable.Sub(r.WorstNode)
	fmt.Fprintf(&b, "| one node: available (less its reserve and a third of the add-ons) | %s | %s GiB |\n", r.NodeAvailable.CPU(), r.NodeAvailable.Mem())
	fmt.Fprintf(&b, "| one node at worst (ceil(max/%d) of each Deployment, plus PostgreSQL) | %s | %s GiB |\n", c.Nodes, r.WorstNode.CPU(), r.WorstNode.Mem())
	fmt.Fprintf(&b, "| **headroom on that node** | **%s (%d%%)** | **%s GiB (%d%%)** |\n", nh.CPU(), pct(nh.MilliCPU, r.NodeAvailable.MilliCPU),
		nh.Mem(), pct(nh.Memory, r.NodeAvailable.Memory))
	return b.String()
}

func pct(part, whole int64) int {
	if whole == 0 {
		return 0
	}
	return int(math.Floor(float64(part) * 100 / float64(whole)))
}

// OnePerNode: the workload's required pod anti-affinity keeps its pods on
// different nodes (a term on kubernetes.io/hostname selecting its own pods).
func OnePerNode(o Object) bool {
	labels := map[string]string{}
	for k, v := range o.Map("spec", "template", "metadata", "labels") {
		labels[k], _ = v.(string)
	}
	for _, raw := range o.List("spec", "template", "spec", "affinity", "podAntiAffinity",
		"requiredDuringSchedulingIgnoredDuringExecution") {
		term := Object(raw.(map[string]any))
		selector, _ := term.Get("labelSelector").(map[string]any)
		if term.Str("topologyKey") == "kubernetes.io/hostname" && selector != nil && LabelSelectorMatches(selector, labels) {
			return true
		}
	}
	return false
}
