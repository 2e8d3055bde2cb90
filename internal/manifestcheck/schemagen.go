package manifestcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// kubeconform reads "standalone strict" JSON schemas: one file per kind and
// version, every reference inlined, and additionalProperties false wherever
// an object lists its properties, so an unknown or misspelled field fails.
// K8sSchemas and CRDSchemas produce that layout; the file names are the
// ones kubeconform's schema-location templates ask for (SchemaLocations).

const (
	JSONSchemaDraft = "http://json-schema.org/schema#"
	quantityDef     = "io.k8s.apimachinery.pkg.api.resource.Quantity"
	refPrefix       = "#/definitions/"
)

// K8sSchemas converts the Kubernetes OpenAPI v2 document (swagger.json) into
// one schema per group/version/kind, keyed by file name:
// <kind>-<version>.json for the core group, <kind>-<group's first label>-<version>.json
// otherwise (deployment-apps-v1.json), all lower case.
func K8sSchemas(swagger []byte) (map[string][]byte, error) {
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(swagger, &doc); err != nil {
		return nil, fmt.Errorf("swagger: %w", err)
	}
	if len(doc.Definitions) == 0 {
		return nil, errors.New("swagger: no definitions")
	}
	c := &converter{defs: doc.Definitions, memo: map[string]any{}}
	out := map[string][]byte{}
	for name, def := range doc.Definitions {
		gvks, _ := def["x-kubernetes-group-version-kind"].([]any)
		if len(gvks) == 0 {
			continue
		}
		schema, _ := c.definition(name, nil)
		data, err := finish(schema)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, g := range gvks {
			gvk, _ := g.(map[string]any)
			group, _ := gvk["group"].(string)
			version, _ := gvk["version"].(string)
			kind, _ := gvk["kind"].(string)
			if version == "" || kind == "" {
				return nil, fmt.Errorf("%s: incomplete x-kubernetes-group-version-kind %v", name, gvk)
			}
			out[K8sSchemaFile(group, version, kind)] = data
		}
	}
	return out, nil
}

// K8sSchemaFile is the file kubeconform's {{ .ResourceKind }}{{ .KindSuffix }}.json
// names for a built-in kind.
func K8sSchemaFile(group, version, kind string) string {
	suffix := "-" + version
	if group != "" {
		suffix = "-" + strings.ToLower(strings.Split(group, ".")[0]) + "-" + version
	}
	return strings.ToLower(kind) + suffix + ".json"
}

// CRDSchemaFile is the file {{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json
// names for a custom resource.
func CRDSchemaFile(group, version, kind string) string {
	return path.Join(group, strings.ToLower(kind)+"_"+version+".json")
}

// CRDSchemas converts every CustomResourceDefinition in a YAML stream into
// one schema per version that has an openAPIV3Schema, keyed by
// CRDSchemaFile. Other documents are ignored.
func CRDSchemas(data []byte) (map[string][]byte, error) {
	out := map[string][]byte{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("CRD YAML: %w", err)
		}
		if doc["kind"] != "CustomResourceDefinition" {
			continue
		}
		spec, _ := doc["spec"].(map[string]any)
		group, _ := spec["group"].(string)
		names, _ := spec["names"].(map[string]any)
		kind, _ := names["kind"].(string)
		versions, _ := spec["versions"].([]any)
		if group == "" || kind == "" || len(versions) == 0 {
			return nil, fmt.Errorf("CustomResourceDefinition without group, kind or versions")
		}
		c := &converter{memo: map[string]any{}}
		for _, v := range versions {
			ver, _ := v.(map[string]any)
			name, _ := ver["name"].(string)
			sch, _ := ver["schema"].(map[string]any)
			root, ok := sch["openAPIV3Schema"].(map[string]any)
			if !ok {
				continue
			}
			schema, _ := c.node(withObjectFields(root), nil)
			data, err := finish(schema)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", kind, name, err)
			}
			out[CRDSchemaFile(group, name, kind)] = data
		}
	}
}

// withObjectFields adds apiVersion, kind and metadata to a custom
// resource's root schema when it leaves them out (knative-generated CRDs,
// such as the policy-controller's, list spec and status only): the API
// server accepts them on every object, whatever the schema says.
func withObjectFields(root map[string]any) map[string]any {
	props, _ := root["properties"].(map[string]any)
	if props == nil {
		return root
	}
	implicit := map[string]any{
		"apiVersion": map[string]any{"type": "string"},
		"kind":       map[string]any{"type": "string"},
		"metadata":   map[string]any{"type": "object"},
	}
	out := make(map[string]any, len(root))
	for k, v := range root {
		out[k] = v
	}
	merged := make(map[string]any, len(props)+len(implicit))
	for k, v := range implicit {
		merged[k] = v
	}
	for k, v := range props {
		merged[k] = v
	}
	out["properties"] = merged
	return out
}

func finish(schema any) ([]byte, error) {
	m, ok := schema.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema is %T, not an object", schema)
	}
	withDraft := make(map[string]any, len(m)+1)
	for k, v := range m {
		withDraft[k] = v
	}
	withDraft["$schema"] = JSONSchemaDraft
	return json.Marshal(withDraft)
}

// converter rewrites OpenAPI schema nodes into plain JSON Schema.
type converter struct {
	defs map[string]map[string]any
	// memo holds converted definitions that met no reference cycle (the
	// result of one that did depends on where the cycle was cut).
	memo map[string]any
}

// definition converts a named definition. A reference back to a definition
// being converted (JSONSchemaProps refers to itself) becomes {}, which
// accepts anything: the only way to inline a recursive type.
func (c *converter) definition(name string, stack []string) (any, bool) {
	if name == quantityDef {
		// resource.Quantity is a string in the document, but "1" and 0.5
		// are valid quantities in YAML too.
		return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}}, false
	}
	for _, s := range stack {
		if s == name {
			return map[string]any{}, true
		}
	}
	if v, ok := c.memo[name]; ok {
		return v, false
	}
	def, ok := c.defs[name]
	if !ok {
		return map[string]any{}, false
	}
	v, cyclic := c.node(def, append(stack[:len(stack):len(stack)], name))
	if !cyclic {
		c.memo[name] = v
	}
	return v, cyclic
}

// dropped are OpenAPI annotations without meaning for validation.
func dropped(key string) bool {
	return key == "description" || key == "example" || key == "nullable" ||
		strings.HasPrefix(key, "x-kubernetes-")
}

func (c *converter) node(n any, stack []string) (any, bool) {
	switch n := n.(type) {
	case []any:
		out := make([]any, len(n))
		cyclic := false
		for i, e := range n {
			var cy bool
			out[i], cy = c.node(e, stack)
			cyclic = cyclic || cy
		}
		return out, cyclic
	case map[string]any:
		if ref, ok := n["$ref"].(string); ok {
			return c.definition(strings.TrimPrefix(ref, refPrefix), stack)
		}
		out := map[string]any{}
		cyclic := false
		for k, v := range n {
			if dropped(k) {
				continue
			}
			var cy bool
			switch k {
			case "properties", "patternProperties", "definitions":
				// maps of names to schemas: the names are data, not keywords
				props, _ := v.(map[string]any)
				conv := make(map[string]any, len(props))
				for name, p := range props {
					var pcy bool
					conv[name], pcy = c.node(p, stack)
					cy = cy || pcy
				}
				out[k] = conv
			case "enum", "required", "default":
				out[k] = v
			default:
				out[k], cy = c.node(v, stack)
			}
			cyclic = cyclic || cy
		}
		if out["format"] == "int-or-string" || n["x-kubernetes-int-or-string"] == true {
			delete(out, "type")
			delete(out, "format")
			out["oneOf"] = []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}
		}
		if n["nullable"] == true {
			if t, ok := out["type"].(string); ok {
				out["type"] = []any{t, "null"}
			}
		}
		_, hasProps := out["properties"]
		_, hasAdditional := out["additionalProperties"]
		if hasProps && !hasAdditional && n["x-kubernetes-preserve-unknown-fields"] != true {
			out["additionalProperties"] = false
		}
		return out, cyclic
	default:
		return n, false
	}
}
