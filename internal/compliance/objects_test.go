package compliance

import (
	"encoding/json"
	"reflect"
	"testing"
)

func decode(t *testing.T, s string) object {
	t.Helper()
	var o object
	if err := json.Unmarshal([]byte(s), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestCandidateDropsWhatOnlyACreatedObjectHas: a pod loses its node,
// priority and service account, a Job its generated selector and labels,
// every object the last applied copy; what the policies read stays, and
// the listed object itself is not changed.
func TestCandidateDropsWhatOnlyACreatedObjectHas(t *testing.T) {
	pod := decode(t, `{"metadata":{"name":"p","namespace":"a","labels":{"app":"x"},
		"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}","note":"kept"}},
		"spec":{"nodeName":"n1","priority":0,"serviceAccountName":"sa","automountServiceAccountToken":true,
		"containers":[{"name":"c","image":"i:1"}]}}`)
	got, err := candidate(kinds[0], pod)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"name": "p", "labels": map[string]string{"app": "x"}, "annotations": map[string]string{"note": "kept"}},
		"spec": map[string]any{"automountServiceAccountToken": true,
			"containers": []any{map[string]any{"name": "c", "image": "i:1"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pod candidate:\n got %#v\nwant %#v", got, want)
	}
	if pod.Spec["nodeName"] != "n1" || pod.Metadata.Annotations[lastApplied] == "" {
		t.Error("candidate changed the listed object")
	}

	job := decode(t, `{"metadata":{"name":"j","namespace":"a","labels":{"job-name":"j","team":"t"}},
		"spec":{"selector":{"matchLabels":{"controller-uid":"u"}},"manualSelector":false,
		"template":{"metadata":{"labels":{"controller-uid":"u","batch.kubernetes.io/controller-uid":"u","job-name":"j","team":"t"}},
		"spec":{"restartPolicy":"Never"}}}}`)
	got, err = candidate(kind{"Job", "jobs", "batch/v1"}, job)
	if err != nil {
		t.Fatal(err)
	}
	spec := got["spec"].(map[string]any)
	if _, ok := spec["selector"]; ok {
		t.Error("the Job's generated selector was kept")
	}
	labels := spec["template"].(map[string]any)["metadata"].(map[string]any)["labels"]
	if !reflect.DeepEqual(labels, map[string]any{"team": "t"}) {
		t.Errorf("template labels %v, want only team", labels)
	}
	if l := got["metadata"].(map[string]any)["labels"]; !reflect.DeepEqual(l, map[string]string{"team": "t"}) {
		t.Errorf("Job labels %v, want only team", l)
	}
}

func TestManagedByACheckedKind(t *testing.T) {
	for _, tc := range []struct {
		owners string
		want   bool
	}{
		{`[]`, false},
		{`[{"kind":"ReplicaSet","controller":true}]`, true},
		{`[{"kind":"CronJob","controller":true}]`, true},
		{`[{"kind":"ReplicaSet"}]`, false},                   // not its controller
		{`[{"kind":"Prometheus","controller":true}]`, false}, // an operator's: checked itself
		{`[{"kind":"Node","controller":true}]`, false},       // a static pod's mirror
	} {
		o := decode(t, `{"metadata":{"name":"x","ownerReferences":`+tc.owners+`}}`)
		if got := o.managedByACheckedKind(); got != tc.want {
			t.Errorf("owners %s: %v, want %v", tc.owners, got, tc.want)
		}
	}
}

func TestKindPath(t *testing.T) {
	if got := kinds[0].path(""); got != "/api/v1/pods" {
		t.Error(got)
	}
	if got := (kind{"CronJob", "cronjobs", "batch/v1"}).path("scratch"); got != "/apis/batch/v1/namespaces/scratch/cronjobs" {
		t.Error(got)
	}
}
