package manifestcheck

import "testing"

// TestCapacityArithmetic pins the computation on a hand-made case.
func TestCapacityArithmetic(t *testing.T) {
	objs, err := Decode([]byte(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ns}
spec:
  replicas: 2
  strategy: {rollingUpdate: {maxSurge: 25%}}
  template:
    spec:
      initContainers:
        - {name: migrate, resources: {requests: {cpu: 500m, memory: 64Mi}}}
      containers:
        - {name: a, resources: {requests: {cpu: 100m, memory: 128Mi}}}
        - {name: b, resources: {requests: {cpu: "0.1", memory: 0.5Gi}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: ns}
spec: {scaleTargetRef: {kind: Deployment, name: api}, maxReplicas: 5}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ns}
spec:
  replicas: 1
  template:
    spec:
      containers:
        - {name: db, resources: {requests: {cpu: 1, memory: 1Gi}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	cluster := Cluster{Nodes: 2, Node: Resources{4000, 4 << 30}, NodeReserve: Resources{500, 1 << 30}, AddonReserve: Resources{1000, 1 << 30}}
	rep, err := Capacity(objs, cluster)
	if err != nil {
		t.Fatal(err)
	}
	// api pod: max(100m+100m, 500m init) = 500m; 128Mi+512Mi = 640Mi.
	// 5 replicas (the HPA's max, not spec.replicas), surge ceil(5 x 25%) = 2.
	want := CapacityReport{
		Steady:        Resources{5*500 + 1000, 5*640<<20 + 1<<30},
		Rollout:       Resources{2 * 500, 2 * 640 << 20},
		Pods:          5 + 1 + 2,
		Available:     Resources{2*3500 - 1000, 2*(3<<30) - 1<<30},
		WorstNode:     Resources{3*500 + 1000, 3*640<<20 + 1<<30},
		NodeAvailable: Resources{3500 - 500, 3<<30 - 512<<20},
	}
	want.Total = want.Steady.Add(want.Rollout)
	if rep.Steady != want.Steady || rep.Rollout != want.Rollout || rep.Total != want.Total || rep.Pods != want.Pods ||
		rep.Available != want.Available || rep.WorstNode != want.WorstNode || rep.NodeAvailable != want.NodeAvailable {
		t.Errorf("got %+v\nwant %+v", rep, want)
	}
}

// A Pod read from the API counts as its own template.
func TestPodResourcesOfAPod(t *testing.T) {
	objs, err := Decode([]byte(`
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  initContainers:
    - {name: init, resources: {requests: {cpu: 50m, memory: 1Gi}}}
  containers:
    - {name: a, resources: {requests: {cpu: 100m, memory: 128Mi}}}
    - {name: b, resources: {requests: {cpu: 200m, memory: 128Mi}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := PodResources(objs[0], "requests")
	if err != nil || r != (Resources{300, 1 << 30}) {
		t.Fatalf("%+v, %v; want 300m CPU (the containers' sum) and 1 GiB (the init container's)", r, err)
	}
}
