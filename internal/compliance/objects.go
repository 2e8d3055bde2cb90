package compliance

import (
	"encoding/json"
	"maps"
	"net/url"
	"slices"
)

// kind is one kind of object the admission policies match
// (deploy/kubernetes/infrastructure/base/admission).
type kind struct {
	Kind, Resource, GroupVersion string
}

var kinds = []kind{
	{"Pod", "pods", "v1"},
	{"Deployment", "deployments", "apps/v1"},
	{"StatefulSet", "statefulsets", "apps/v1"},
	{"DaemonSet", "daemonsets", "apps/v1"},
	{"ReplicaSet", "replicasets", "apps/v1"},
	{"Job", "jobs", "batch/v1"},
	{"CronJob", "cronjobs", "batch/v1"},
}

// path is the kind's collection in namespace ns, or cluster-wide for "".
func (k kind) path(ns string) string {
	p := "/apis/" + k.GroupVersion
	if k.GroupVersion == "v1" {
		p = "/api/v1"
	}
	if ns != "" {
		p += "/namespaces/" + url.PathEscape(ns)
	}
	return p + "/" + k.Resource
}

// object is what the report reads of a workload. The spec is kept as
// decoded JSON: the copy must carry every field the policies may read.
type object struct {
	Metadata metadata       `json:"metadata"`
	Spec     map[string]any `json:"spec"`
}

type metadata struct {
	Name              string            `json:"name"`
	Namespace         string            `json:"namespace,omitempty"`
	Labels            map[string]string `json:"labels,omitempty"`
	Annotations       map[string]string `json:"annotations,omitempty"`
	OwnerReferences   []ownerReference  `json:"ownerReferences,omitempty"`
	DeletionTimestamp *string           `json:"deletionTimestamp,omitempty"`
}

type ownerReference struct {
	Kind       string `json:"kind"`
	Controller *bool  `json:"controller,omitempty"`
}

// managedByACheckedKind reports whether a checked kind's controller owns o
// (a Deployment's ReplicaSets, a ReplicaSet's Pods, a CronJob's Jobs): the
// owner is reported instead, once, under the name its operator knows.
// Objects made by other controllers (an operator's StatefulSet) are
// checked themselves.
func (o object) managedByACheckedKind() bool {
	for _, ref := range o.Metadata.OwnerReferences {
		if ref.Controller != nil && *ref.Controller && slices.ContainsFunc(kinds, func(k kind) bool { return k.Kind == ref.Kind }) {
			return true
		}
	}
	return false
}

// The labels and annotations the API server or a controller set on a
// created object, which a new object may not carry (a Job's selector is
// generated from its own uid) or need not (the last applied copy).
var (
	jobLabels = []string{
		"controller-uid", "batch.kubernetes.io/controller-uid",
		"job-name", "batch.kubernetes.io/job-name",
	}
	// Set on creation from the scheduler's or an admission plugin's
	// decision; a new pod that carries them is refused or bound at once.
	podAssigned = []string{"nodeName", "priority", "preemptionPolicy", "overhead", "ephemeralContainers", "serviceAccountName", "serviceAccount"}
)

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// candidate is the object o of kind k as a new object to create as a dry
// run in the scratch namespace: its labels (a policy may read them), its
// annotations and its spec, without what only a created object has. A
// pod's service account is dropped because the scratch namespace does
// not have it (the ServiceAccount admission plugin would refuse the copy);
// the policies read the pod's own automountServiceAccountToken.
func candidate(k kind, o object) (map[string]any, error) {
	var spec map[string]any
	b, err := json.Marshal(o.Spec) // a deep copy to edit
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		return nil, err
	}
	labels := maps.Clone(o.Metadata.Labels)
	annotations := maps.Clone(o.Metadata.Annotations)
	delete(annotations, lastApplied)
	switch k.Kind {
	case "Pod":
		for _, f := range podAssigned {
			delete(spec, f)
		}
	case "Job":
		delete(spec, "selector")
		delete(spec, "manualSelector")
		if tpl, ok := spec["template"].(map[string]any); ok {
			if md, ok := tpl["metadata"].(map[string]any); ok {
				if l, ok := md["labels"].(map[string]any); ok {
					for _, name := range jobLabels {
						delete(l, name)
					}
				}
			}
		}
		for _, name := range jobLabels {
			delete(labels, name)
		}
	}
	meta := map[string]any{"name": o.Metadata.Name}
	if len(labels) > 0 {
		meta["labels"] = labels
	}
	if len(annotations) > 0 {
		meta["annotations"] = annotations
	}
	return map[string]any{
		"apiVersion": k.GroupVersion,
		"kind":       k.Kind,
		"metadata":   meta,
		"spec":       spec,
	}, nil
}
