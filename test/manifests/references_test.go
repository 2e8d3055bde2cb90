package manifests_test

import (
	"slices"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// podReference is a ConfigMap or Secret a workload's pods read, or the
// ServiceAccount they run as.
type podReference struct{ kind, name string }

// podReferences lists, sorted, what the workloads' pods read by name
// (environment, volumes, projected volumes) and run as; references marked
// optional are left out: a pod starts without them.
func podReferences(objs []manifestcheck.Object) []podReference {
	seen := map[podReference]bool{}
	add := func(kind string, ref manifestcheck.Object, nameKey string) {
		if n := ref.Str(nameKey); n != "" && ref.Get("optional") != true {
			seen[podReference{kind, n}] = true
		}
	}
	for _, o := range objs {
		tpl := o.PodTemplate()
		if tpl == nil {
			continue
		}
		if sa := tpl.Str("spec", "serviceAccountName"); sa != "" {
			seen[podReference{"ServiceAccount", sa}] = true
		}
		for _, c := range o.Containers() {
			for _, raw := range c.List("env") {
				env := manifestcheck.Object(raw.(map[string]any))
				add("Secret", manifestcheck.Object(env.Map("valueFrom", "secretKeyRef")), "name")
				add("ConfigMap", manifestcheck.Object(env.Map("valueFrom", "configMapKeyRef")), "name")
			}
			for _, raw := range c.List("envFrom") {
				from := manifestcheck.Object(raw.(map[string]any))
				add("Secret", manifestcheck.Object(from.Map("secretRef")), "name")
				add("ConfigMap", manifestcheck.Object(from.Map("configMapRef")), "name")
			}
		}
		for _, raw := range tpl.List("spec", "volumes") {
			v := manifestcheck.Object(raw.(map[string]any))
			add("Secret", manifestcheck.Object(v.Map("secret")), "secretName")
			add("ConfigMap", manifestcheck.Object(v.Map("configMap")), "name")
			for _, src := range v.List("projected", "sources") {
				s := manifestcheck.Object(src.(map[string]any))
				add("Secret", manifestcheck.Object(s.Map("secret")), "name")
				add("ConfigMap", manifestcheck.Object(s.Map("configMap")), "name")
			}
		}
	}
	out := make([]podReference, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b podReference) int {
		return strings.Compare(a.kind+"/"+a.name, b.kind+"/"+b.name)
	})
	return out
}

// provided is what objs offer a pod by name: each object itself, and the
// Secret each ExternalSecret makes.
func provided(objs []manifestcheck.Object) map[podReference]bool {
	out := map[podReference]bool{}
	for _, o := range objs {
		out[podReference{o.Kind(), o.Name()}] = true
		if o.Kind() == "ExternalSecret" {
			out[podReference{"Secret", o.Str("spec", "target", "name")}] = true
		}
	}
	return out
}
