package manifests_test

import (
	"encoding/json"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"reflect"
	"testing"
)

// A miniature swagger document with what the converter must handle: a
// reference chain, a self-reference, Quantity, IntOrString, a map, a
// property named like a keyword, and a kind in a named group.
const miniSwagger = `{
  "definitions": {
    "io.k8s.api.apps.v1.Widget": {
      "description": "A widget.",
      "type": "object",
      "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "spec": {"$ref": "#/definitions/io.k8s.api.apps.v1.WidgetSpec", "description": "ignored sibling"}
      },
      "x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1", "kind": "Widget"}]
    },
    "io.k8s.api.apps.v1.WidgetSpec": {
      "type": "object",
      "required": ["size"],
      "properties": {
        "size": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"},
        "port": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "description": {"type": "string", "description": "a field called description"},
        "child": {"$ref": "#/definitions/io.k8s.api.apps.v1.WidgetSpec"}
      },
      "x-kubernetes-list-type": "atomic"
    },
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string", "format": "int-or-string"},
    "io.k8s.api.core.v1.Gadget": {
      "type": "object",
      "properties": {"name": {"type": "string"}},
      "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Gadget"}]
    }
  }
}`

func decodeSchema(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestK8sSchemas(t *testing.T) {
	files, err := manifestcheck.K8sSchemas([]byte(miniSwagger))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files["widget-apps-v1.json"] == nil || files["gadget-v1.json"] == nil {
		t.Fatalf("file names: got %v, want widget-apps-v1.json and gadget-v1.json", keys(files))
	}
	w := manifestcheck.Object(decodeSchema(t, files["widget-apps-v1.json"]))
	if w.Str("$schema") != manifestcheck.JSONSchemaDraft {
		t.Errorf("$schema = %q", w.Str("$schema"))
	}
	if w.Get("description") != nil || w.Get("properties", "spec", "description") != nil {
		t.Error("descriptions must be dropped")
	}
	if w.Get("additionalProperties") != false || w.Get("properties", "spec", "additionalProperties") != false {
		t.Error("objects with properties must refuse unknown fields (strict)")
	}
	if w.Get("properties", "spec", "properties", "labels", "additionalProperties", "type") != "string" {
		t.Error("a map's additionalProperties schema must be kept")
	}
	if w.Get("properties", "spec", "properties", "description", "type") != "string" {
		t.Error("a property named description is data, not an annotation")
	}
	oneOf := func(path ...string) []any {
		l, _ := w.Get(path...).(map[string]any)["oneOf"].([]any)
		return l
	}
	if got := oneOf("properties", "spec", "properties", "size"); !reflect.DeepEqual(got,
		[]any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}) {
		t.Errorf("Quantity: got %v", got)
	}
	if got := oneOf("properties", "spec", "properties", "port"); !reflect.DeepEqual(got,
		[]any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}) {
		t.Errorf("IntOrString: got %v", got)
	}
	if child := w.Map("properties", "spec", "properties", "child"); len(child) != 0 {
		t.Errorf("a self-reference must be cut to {}, got %v", child)
	}
	if w.Get("properties", "spec", "x-kubernetes-list-type") != nil {
		t.Error("x-kubernetes-* annotations must be dropped")
	}
	if req, _ := w.Get("properties", "spec", "required").([]any); len(req) != 1 || req[0] != "size" {
		t.Errorf("required must be kept, got %v", w.Get("properties", "spec", "required"))
	}
}

func TestK8sSchemasRefusesEmptyDocument(t *testing.T) {
	if _, err := manifestcheck.K8sSchemas([]byte(`{"definitions": {}}`)); err == nil {
		t.Fatal("want an error for a document without definitions")
	}
}

const miniCRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
spec:
  group: example.com
  names:
    kind: Thing
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                port:
                  x-kubernetes-int-or-string: true
                anything:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    known: {type: string}
                note:
                  type: string
                  nullable: true
    - name: v1alpha1
      served: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-a-crd
`

func TestCRDSchemas(t *testing.T) {
	files, err := manifestcheck.CRDSchemas([]byte(miniCRD))
	if err != nil {
		t.Fatal(err)
	}
	data := files["example.com/thing_v1.json"]
	if len(files) != 1 || data == nil {
		t.Fatalf("got %v, want only example.com/thing_v1.json (v1alpha1 has no schema)", keys(files))
	}
	s := manifestcheck.Object(decodeSchema(t, data))
	spec := manifestcheck.Object(s.Map("properties", "spec"))
	if spec.Get("additionalProperties") != false {
		t.Error("strict: spec must refuse unknown fields")
	}
	if spec.Get("properties", "anything", "additionalProperties") != nil {
		t.Error("x-kubernetes-preserve-unknown-fields must keep unknown fields allowed")
	}
	if _, ok := spec.Map("properties", "port")["oneOf"]; !ok {
		t.Error("x-kubernetes-int-or-string must become oneOf string/integer")
	}
	if got := spec.Get("properties", "note", "type"); !reflect.DeepEqual(got, []any{"string", "null"}) {
		t.Errorf("nullable string: got type %v", got)
	}
	// The root lists only spec (as knative's generated CRDs do); every
	// object still has apiVersion, kind and metadata.
	for _, field := range []string{"apiVersion", "kind", "metadata"} {
		if s.Map("properties", field) == nil {
			t.Errorf("the root schema does not allow %s", field)
		}
	}
}

func TestSchemaFileNamesMatchKubeconform(t *testing.T) {
	// kubeconform's KindSuffix: "-" + first label of the group + "-" + version,
	// or "-" + version for the core group.
	for _, c := range []struct{ group, version, kind, want string }{
		{"", "v1", "ConfigMap", "configmap-v1.json"},
		{"apps", "v1", "Deployment", "deployment-apps-v1.json"},
		{"networking.k8s.io", "v1", "NetworkPolicy", "networkpolicy-networking-v1.json"},
		{"autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscaler-autoscaling-v2.json"},
	} {
		if got := manifestcheck.K8sSchemaFile(c.group, c.version, c.kind); got != c.want {
			t.Errorf("K8sSchemaFile(%q, %q, %q) = %q, want %q", c.group, c.version, c.kind, got, c.want)
		}
	}
	if got := manifestcheck.CRDSchemaFile("monitoring.coreos.com", "v1", "PodMonitor"); got != "monitoring.coreos.com/podmonitor_v1.json" {
		t.Errorf("CRDSchemaFile = %q", got)
	}
}

// TestStrictValidationRefusesMistakes proves the generated schemas and
// kubeconform catch what they are there for: a misspelled field, a wrong
// type, a custom resource field that does not exist, and a kind without a
// schema.
func TestStrictValidationRefusesMistakes(t *testing.T) {
	tb := box(t)
	bad := []byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: misspelled}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers:
        - name: x
          image: x:1
          securityContext: {readOnlyRootFilesytem: true}
---
apiVersion: v1
kind: Service
metadata: {name: wrong-type}
spec: {ports: [{port: "80"}]}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: unknown-field}
spec: {selector: {}, podMetricsEndpoint: []}
---
apiVersion: example.com/v1
kind: Unheard
metadata: {name: no-schema}
`)
	findings, err := tb.Validate(bad)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range findings {
		got[f.Object] = true
	}
	for _, want := range []string{"Deployment/misspelled", "Service/wrong-type", "PodMonitor/unknown-field", "Unheard/no-schema"} {
		if !got[want] {
			t.Errorf("kubeconform accepted %s; findings: %v", want, findings)
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
