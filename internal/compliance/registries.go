package compliance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
)

// RegistryPolicy is the admission policy that holds staging and
// production to their own registries (admission/registries.yaml). Its
// binding reads the ConfigMap in the object's own namespace, which a copy
// in the scratch namespace cannot, so the report applies this one rule
// itself; registries_test.go holds it to the policy's fixtures.
const RegistryPolicy = "shipshape-image-registries"

// AllowedRegistries is the ConfigMap (key "prefixes", one per line) that
// lists a namespace's registries.
const AllowedRegistries = "shipshape-allowed-registries"

const environmentLabel = "shipshape.dev/environment"

// releasedEnvironment reports whether an object runs under the registry
// rule: its namespace is labelled for staging or production (what the
// admission binding selects) or the object itself is (what the
// manifest-time policy reads).
func releasedEnvironment(namespaceLabels, objectLabels map[string]string) bool {
	released := func(env string) bool { return env == "staging" || env == "production" }
	return released(namespaceLabels[environmentLabel]) || released(objectLabels[environmentLabel])
}

// registryPrefixes is the ConfigMap's list: trimmed, without blank lines.
func registryPrefixes(data map[string]string) []string {
	var out []string
	for _, line := range strings.Split(data["prefixes"], "\n") {
		if p := strings.TrimSpace(line); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// images is every container's and init container's image of o.
func images(k kind, o object) []string {
	pod := o.Spec
	switch k.Kind {
	case "Pod":
	case "CronJob":
		pod = field(field(field(field(pod, "jobTemplate"), "spec"), "template"), "spec")
	default:
		pod = field(field(pod, "template"), "spec")
	}
	var out []string
	for _, list := range []string{"initContainers", "containers"} {
		cs, _ := pod[list].([]any)
		for _, c := range cs {
			container, _ := c.(map[string]any)
			if image, ok := container["image"].(string); ok {
				out = append(out, image)
			}
		}
	}
	return out
}

// field is m[name] when both are JSON objects, nil otherwise.
func field(m any, name string) map[string]any {
	obj, _ := m.(map[string]any)
	v, _ := obj[name].(map[string]any)
	return v
}

// registryViolations is o's one violation of the registry rule, if any:
// no registry listed at all (prefixes empty: nothing is allowed), or the
// images from none of the listed ones. The messages are the policy's.
func registryViolations(k kind, o object, prefixes []string) []Violation {
	v := Violation{Namespace: o.Metadata.Namespace, Kind: k.Kind, Name: o.Metadata.Name, Policy: RegistryPolicy}
	if len(prefixes) == 0 {
		v.Message = "ConfigMap " + AllowedRegistries + " lists no allowed registries (key prefixes, one per line)"
		return []Violation{v}
	}
	var foreign []string
	for _, image := range images(k, o) {
		if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(image, p) }) {
			foreign = append(foreign, image)
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	v.Message = "image " + strings.Join(foreign, ", ") + " is not from an allowed registry (" + strings.Join(prefixes, ", ") + ")"
	return []Violation{v}
}

// registries reads each namespace's allowed registries once a pass.
type registries struct {
	api   api
	known map[string][]string
}

// of is namespace ns's list; a missing ConfigMap lists none.
func (r *registries) of(ctx context.Context, ns string) ([]string, error) {
	if p, ok := r.known[ns]; ok {
		return p, nil
	}
	var cm struct {
		Data map[string]string `json:"data"`
	}
	path := "/api/v1/namespaces/" + url.PathEscape(ns) + "/configmaps/" + AllowedRegistries
	err := r.api.Do(ctx, http.MethodGet, path, nil, &cm)
	if err != nil && !kubeapi.HasStatus(err, http.StatusNotFound) {
		return nil, fmt.Errorf("reading %s's allowed registries: %w", ns, err)
	}
	if r.known == nil {
		r.known = map[string][]string{}
	}
	r.known[ns] = registryPrefixes(cm.Data)
	return r.known[ns], nil
}
