package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tmccombs/hcl2json/convert"
	"sigs.k8s.io/yaml"
)

// readInput parses files into the combined input: a list of
// {"path", "contents"} sorted by path (stable within a file), one entry per
// YAML document and per element of a file that holds a list, as conftest
// combines them. Paths stay as given, so messages built from them match
// the caller's.
func readInput(files []string) ([]any, error) {
	type entry struct {
		path     string
		contents any
	}
	var entries []entry
	for _, file := range files {
		docs, err := parseFile(file)
		if err != nil {
			return nil, err
		}
		for _, doc := range docs {
			entries = append(entries, entry{file, doc})
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return strings.Compare(a.path, b.path) })
	input := make([]any, len(entries))
	for i, e := range entries {
		input[i] = map[string]any{"path": e.path, "contents": e.contents}
	}
	return input, nil
}

// parseFile returns a file's documents by its extension.
func parseFile(file string) ([]any, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var docs []any
	switch ext := strings.ToLower(filepath.Ext(file)); ext {
	case ".yaml", ".yml":
		docs, err = yamlDocuments(data)
	case ".json":
		var doc any
		err = json.Unmarshal(data, &doc)
		docs = []any{doc}
	case ".tf":
		// HCL as JSON the way conftest's hcl2 parser gives it: blocks are
		// lists of objects, expressions that are not literals "${...}".
		var converted []byte
		if converted, err = convert.Bytes(data, file, convert.Options{}); err == nil {
			var doc any
			err = json.Unmarshal(converted, &doc)
			docs = []any{doc}
		}
	default:
		return nil, fmt.Errorf("%s: unsupported file type %q (want .yaml, .yml, .json or .tf)", file, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(docs) == 1 {
		if list, ok := docs[0].([]any); ok {
			return list, nil
		}
	}
	return docs, nil
}

// yamlDocuments splits a YAML stream at its "---" lines and parses each
// document as JSON-compatible values; empty documents are left out.
func yamlDocuments(data []byte) ([]any, error) {
	var docs []any
	var current bytes.Buffer
	flush := func() error {
		defer current.Reset()
		if len(bytes.TrimSpace(current.Bytes())) == 0 {
			return nil
		}
		var doc any
		if err := yaml.Unmarshal(current.Bytes(), &doc); err != nil {
			return fmt.Errorf("document %d: %w", len(docs)+1, err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
		return nil
	}
	for line := range bytes.Lines(data) {
		if marker := bytes.TrimRight(line, " \t\r\n"); string(marker) == "---" {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		current.Write(line)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return docs, nil
}
