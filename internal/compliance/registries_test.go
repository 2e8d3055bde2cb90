package compliance

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// TestRegistryRuleAgreesWithThePolicyFixtures: over every fixture of
// deploy/policies, the report's registry rule fails exactly the workloads
// whose expectations name a registry failure of images.rego, for the same
// reason; everything else in a fixture passes it.
func TestRegistryRuleAgreesWithThePolicyFixtures(t *testing.T) {
	files, err := filepath.Glob("../../deploy/policies/fixtures/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	// the two failures, worded alike by the Rego and the policy
	reasons := []string{"lists no allowed registries", "is not from an allowed registry"}
	checked := 0
	for _, file := range files {
		expected, err := manifestcheck.FixtureExpectations(file)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{} // Kind/namespace/name -> reason
		for _, e := range expected {
			for _, reason := range reasons {
				if strings.Contains(e, reason) {
					id, _, _ := strings.Cut(e, ":")
					want[id] = reason
				}
			}
		}
		got := map[string]string{}
		for _, v := range registryRuleOver(t, file) {
			checked++
			for _, reason := range reasons {
				if strings.Contains(v.Message, reason) {
					got[v.Kind+"/"+v.Namespace+"/"+v.Name] = reason
				}
			}
			if id := v.Kind + "/" + v.Namespace + "/" + v.Name; got[id] == "" {
				t.Errorf("%s: %s: a message in neither wording: %s", filepath.Base(file), id, v.Message)
			}
		}
		for id, reason := range want {
			if got[id] != reason {
				t.Errorf("%s: %s: the report says %q, the Rego %q", filepath.Base(file), id, got[id], reason)
			}
		}
		for id, reason := range got {
			if want[id] == "" {
				t.Errorf("%s: %s fails the report's rule (%s), not the Rego's", filepath.Base(file), id, reason)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no fixture failed the registry rule: the comparison proved nothing")
	}
}

// registryRuleOver applies the report's registry rule to a fixture's
// workloads, with its namespaces' labels and ConfigMaps as the cluster's.
func registryRuleOver(t *testing.T, file string) []Violation {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := manifestcheck.Decode(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	nsLabels := map[string]map[string]string{}
	prefixes := map[string][]string{}
	for _, o := range objs {
		var c struct {
			object
			Data map[string]string `json:"data"`
		}
		fromYAML(t, o, &c)
		switch o.Kind() {
		case "Namespace":
			nsLabels[o.Name()] = c.Metadata.Labels
		case "ConfigMap":
			if o.Name() == AllowedRegistries {
				prefixes[o.Namespace()] = registryPrefixes(c.Data)
			}
		}
	}
	var out []Violation
	for _, o := range objs {
		i := slices.IndexFunc(kinds, func(k kind) bool { return k.Kind == o.Kind() })
		if i < 0 {
			continue
		}
		var w object
		fromYAML(t, o, &w)
		if releasedEnvironment(nsLabels[o.Namespace()], w.Metadata.Labels) {
			out = append(out, registryViolations(kinds[i], w, prefixes[o.Namespace()])...)
		}
	}
	return out
}

func fromYAML(t *testing.T, o manifestcheck.Object, into any) {
	t.Helper()
	b, err := json.Marshal(o)
	if err == nil {
		err = json.Unmarshal(b, into)
	}
	if err != nil {
		t.Fatalf("%s: %v", o.ID(), err)
	}
}

func TestRegistryViolations(t *testing.T) {
	cron := object{Metadata: metadata{Namespace: "shop", Name: "sweep"}, Spec: map[string]any{
		"jobTemplate": map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
			"initContainers": []any{map[string]any{"name": "init", "image": "mirror.example/tools:1"}},
			"containers":     []any{map[string]any{"name": "app", "image": "registry.example/shop/sweep:1"}},
		}}}},
	}}
	cronJob := kinds[slices.IndexFunc(kinds, func(k kind) bool { return k.Kind == "CronJob" })]
	if vs := registryViolations(cronJob, cron, []string{"registry.example/", "mirror.example/"}); len(vs) != 0 {
		t.Errorf("both registries listed: %v", vs)
	}
	vs := registryViolations(cronJob, cron, []string{"registry.example/"})
	if len(vs) != 1 || vs[0].Policy != RegistryPolicy || vs[0].Kind != "CronJob" ||
		vs[0].Message != "image mirror.example/tools:1 is not from an allowed registry (registry.example/)" {
		t.Errorf("the init container's registry unlisted: %+v", vs)
	}
	vs = registryViolations(cronJob, cron, nil)
	if len(vs) != 1 || !strings.Contains(vs[0].Message, "lists no allowed registries") {
		t.Errorf("no registries listed: %+v", vs)
	}
	if got := registryPrefixes(map[string]string{"prefixes": " a.example/ \n\n\tb.example/x/\n"}); !slices.Equal(got, []string{"a.example/", "b.example/x/"}) {
		t.Errorf("prefixes: %q", got)
	}
}

func TestReleasedEnvironment(t *testing.T) {
	env := func(e string) map[string]string { return map[string]string{environmentLabel: e} }
	for _, c := range []struct {
		ns, obj map[string]string
		want    bool
	}{
		{env("staging"), nil, true},
		{nil, env("production"), true},
		{env("development"), env("development"), false},
		{nil, nil, false},
	} {
		if got := releasedEnvironment(c.ns, c.obj); got != c.want {
			t.Errorf("namespace %v, object %v: %v, want %v", c.ns, c.obj, got, c.want)
		}
	}
}

// TestPassReadsEachNamespacesRegistriesOnce: workloads of a staging
// namespace are held to its ConfigMap, read once a pass; a namespace
// without one allows nothing; other environments are not read at all.
func TestPassReadsEachNamespacesRegistriesOnce(t *testing.T) {
	withImage := func(ns, name, image string) string {
		return `{"metadata":{"name":"` + name + `","namespace":"` + ns + `"},"spec":{"template":{"spec":{"containers":[{"name":"app","image":"` + image + `"}]}}}}`
	}
	f := &fakeAPI{
		items: map[string][]string{
			"/api/v1/namespaces": {
				`{"metadata":{"name":"stage","labels":{"shipshape.dev/environment":"staging"}}}`,
				`{"metadata":{"name":"bare","labels":{"shipshape.dev/environment":"production"}}}`,
				`{"metadata":{"name":"dev","labels":{"shipshape.dev/environment":"development"}}}`,
			},
			"/apis/apps/v1/deployments": {
				withImage("stage", "listed", "registry.example/shop/a:1"),
				withImage("stage", "foreign", "docker.example/a:1"),
				withImage("bare", "any", "registry.example/shop/a:1"),
				withImage("dev", "local", "shipshape/a:dev"),
			},
		},
		gets: map[string]string{
			"/api/v1/namespaces/stage/configmaps/" + AllowedRegistries: `{"data":{"prefixes":"registry.example/shop/\n"}}`,
		},
	}
	r, _, err := pass(context.Background(), f, "scratch", quiet)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range r.Violations {
		if v.Policy == RegistryPolicy {
			got = append(got, v.Namespace+"/"+v.Name+": "+v.Message)
		}
	}
	want := []string{
		"bare/any: ConfigMap shipshape-allowed-registries lists no allowed registries (key prefixes, one per line)",
		"stage/foreign: image docker.example/a:1 is not from an allowed registry (registry.example/shop/)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("registry violations\n got %q\nwant %q", got, want)
	}
	if !slices.Equal(f.read, []string{
		"/api/v1/namespaces/stage/configmaps/" + AllowedRegistries,
		"/api/v1/namespaces/bare/configmaps/" + AllowedRegistries,
	}) {
		t.Errorf("ConfigMaps read: %q", f.read)
	}
}

// A namespace's registries that cannot be read fail the pass: reporting
// its workloads as clean would clear what may still be wrong.
func TestPassFailsWhenRegistriesCannotBeRead(t *testing.T) {
	f := &fakeAPI{
		items: map[string][]string{
			"/api/v1/namespaces":        {`{"metadata":{"name":"stage","labels":{"shipshape.dev/environment":"staging"}}}`},
			"/apis/apps/v1/deployments": {deployment("stage", "a", "")},
		},
		failList: "/api/v1/namespaces/stage/configmaps/" + AllowedRegistries,
	}
	if _, _, err := pass(context.Background(), f, "scratch", quiet); err == nil || !strings.Contains(err.Error(), "stage's allowed registries") {
		t.Fatalf("pass: %v", err)
	}
}
