package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aquasecurity/trivy/pkg/iac/scanners/generic"
	"github.com/aquasecurity/trivy/pkg/iac/scanners/options"
	"github.com/aquasecurity/trivy/pkg/iac/types"
	"gopkg.in/yaml.v3"
)

// newKubernetesScanner is trivy's Kubernetes scanner with our own parser.
// Why not trivy's (scanners/kubernetes/parser): it reads JSON manifests with
// Go 1.26's experimental encoding/json/v2, whose API Go 1.27 changed, so
// it would pin this tool to an older Go with its own build of everything.
// The checks see the same input: every YAML document that is a map, as
// maps, lists and scalars, with "__defsec_metadata" (start and end line,
// file path) on every map, the line a map starts being its key's.
func newKubernetesScanner(opts ...options.ScannerOption) fsScanner {
	return generic.NewScanner("Kubernetes", types.SourceKubernetes, generic.ParseFunc[manifest](parseManifests), opts...)
}

// manifest is one document as the checks read it.
type manifest struct{ value map[string]any }

func (m manifest) ToRego() any { return m.value }

// parseManifests reads a multi-document YAML file; line numbers count from
// the start of the file.
func parseManifests(_ context.Context, r io.Reader, path string) ([]manifest, error) {
	dec := yaml.NewDecoder(r)
	var docs []manifest
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue // empty, or not an object
		}
		v, _, err := toRego(doc.Content[0], path, doc.Content[0].Line)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		docs = append(docs, manifest{v.(map[string]any)})
	}
}

// toRego converts a node and returns the last line it covers.
func toRego(n *yaml.Node, path string, startLine int) (any, int, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return toRego(n.Alias, path, startLine)
	case yaml.MappingNode:
		if len(n.Content)%2 != 0 {
			return nil, 0, fmt.Errorf("line %d: a map with an odd number of nodes", n.Line)
		}
		out := make(map[string]any, len(n.Content)/2+1)
		end := n.Line
		for i := 0; i < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			v, last, err := toRego(val, path, key.Line)
			if err != nil {
				return nil, 0, err
			}
			out[key.Value] = v
			end = max(end, last)
		}
		out["__defsec_metadata"] = map[string]any{"startline": startLine, "endline": end, "filepath": path, "offset": 0}
		return out, end, nil
	case yaml.SequenceNode:
		var out []any
		end := n.Line
		for _, item := range n.Content {
			v, last, err := toRego(item, path, item.Line)
			if err != nil {
				return nil, 0, err
			}
			out = append(out, v)
			end = max(end, last)
		}
		return out, end, nil
	case yaml.ScalarNode:
		v, err := scalar(n)
		return v, n.Line, err
	}
	return nil, n.Line, nil
}

// scalar converts a scalar by its resolved tag, as trivy's parser does.
func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!str":
		return n.Value, nil
	case "!!int":
		return strconv.Atoi(n.Value)
	case "!!float":
		return strconv.ParseFloat(n.Value, 64)
	case "!!bool":
		var b bool
		return b, n.Decode(&b)
	case "!!timestamp":
		var t time.Time
		if err := n.Decode(&t); err != nil {
			return nil, err
		}
		return t.Format(time.RFC3339), nil
	case "!!binary":
		return base64.StdEncoding.DecodeString(n.Value)
	}
	return nil, nil // null, or a tag the checks do not read
}
