package manifestcheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// Object is one Kubernetes object as decoded from YAML.
type Object map[string]any

// Decode splits a YAML stream (kustomize build output) into objects.
func Decode(data []byte) ([]Object, error) {
	var objs []Object
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		// A plain map: decoding into Object would make every nested
		// mapping an Object too, which Get does not expect.
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return objs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("decoding YAML: %w", err)
		}
		if m != nil {
			objs = append(objs, Object(m))
		}
	}
}

// Kind, Name and Namespace read the object's identity.
func (o Object) Kind() string      { return o.Str("kind") }
func (o Object) Name() string      { return o.Str("metadata", "name") }
func (o Object) Namespace() string { return o.Str("metadata", "namespace") }

// ID names the object in messages: Kind/namespace/name (Kind/name when
// cluster-scoped), the form the policies use too.
func (o Object) ID() string {
	if ns := o.Namespace(); ns != "" {
		return o.Kind() + "/" + ns + "/" + o.Name()
	}
	return o.Kind() + "/" + o.Name()
}

// Get follows map keys and returns nil when a step is missing.
func (o Object) Get(path ...string) any {
	var cur any = map[string]any(o)
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// Str is Get for strings ("" when missing or not a string).
func (o Object) Str(path ...string) string {
	s, _ := o.Get(path...).(string)
	return s
}

// Int is Get for integers (YAML decodes them as int).
func (o Object) Int(path ...string) (int, bool) {
	switch v := o.Get(path...).(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case float64:
		return int(v), true
	}
	return 0, false
}

// Map is Get for objects.
func (o Object) Map(path ...string) map[string]any {
	m, _ := o.Get(path...).(map[string]any)
	return m
}

// List is Get for arrays.
func (o Object) List(path ...string) []any {
	l, _ := o.Get(path...).([]any)
	return l
}

// PodTemplate returns the pod template of a workload (Deployment,
// StatefulSet, DaemonSet, ReplicaSet, Job; CronJob's job template; a Pod
// is its own), or nil.
func (o Object) PodTemplate() Object {
	switch o.Kind() {
	case "Pod":
		return o
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job":
		return Object(o.Map("spec", "template"))
	case "CronJob":
		return Object(o.Map("spec", "jobTemplate", "spec", "template"))
	case "AnalysisTemplate":
		if job := o.AnalysisJob(); job != nil {
			return Object(job.Map("template"))
		}
	}
	return nil
}

// AnalysisJob returns the spec of the Job an Argo Rollouts AnalysisTemplate
// runs (deploy/policies' lib.rego reads it the same way): its one Job
// metric's, or nil when it has none or more than one.
func (o Object) AnalysisJob() Object {
	if o.Kind() != "AnalysisTemplate" {
		return nil
	}
	var jobs []Object
	for _, m := range o.List("spec", "metrics") {
		if mm, ok := m.(map[string]any); ok {
			if spec := Object(mm).Map("provider", "job", "spec"); spec != nil {
				jobs = append(jobs, Object(spec))
			}
		}
	}
	if len(jobs) != 1 {
		return nil
	}
	return jobs[0]
}

// Containers returns the pod template's containers, init containers first.
func (o Object) Containers() []Object {
	tpl := o.PodTemplate()
	if tpl == nil {
		return nil
	}
	var out []Object
	for _, key := range []string{"initContainers", "containers"} {
		for _, c := range tpl.List("spec", key) {
			if m, ok := c.(map[string]any); ok {
				out = append(out, Object(m))
			}
		}
	}
	return out
}

// Find returns the object of kind and name, or nil.
func Find(objs []Object, kind, name string) Object {
	for _, o := range objs {
		if o.Kind() == kind && o.Name() == name {
			return o
		}
	}
	return nil
}

// OfKind returns the objects of kind.
func OfKind(objs []Object, kind string) []Object {
	var out []Object
	for _, o := range objs {
		if o.Kind() == kind {
			out = append(out, o)
		}
	}
	return out
}
