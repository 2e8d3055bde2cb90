package krakend

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// The routes table of docs/gateway.md sits between these markers and is
// regenerated from routes.yaml, so the documentation cannot drift.
const (
	DocBegin = "<!-- routes:begin (generated from gateway/routes.yaml by `go run ./cmd/gateway-config routes`) -->"
	DocEnd   = "<!-- routes:end -->"
)

// RoutesTable is the Markdown table of the public routes.
func RoutesTable(api routes.API) string {
	var b strings.Builder
	b.WriteString("| method | path | auth | limit | service call(s) |\n|---|---|---|---|---|\n")
	for _, r := range api.Routes {
		var calls []string
		for _, c := range backendsOf(r) {
			call := c.Service + " `" + c.URLPattern + "`"
			if c.Group != "" {
				call += " as `" + c.Group + "`"
			}
			calls = append(calls, call)
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", r.Method, r.Path, r.Auth, r.Limit, strings.Join(calls, "; "))
	}
	return b.String()
}

// ReplaceTable puts table between the markers of doc.
func ReplaceTable(doc, table string) (string, error) {
	before, rest, ok := strings.Cut(doc, DocBegin)
	if !ok {
		return "", errors.New("docs: routes:begin marker missing")
	}
	_, after, ok := strings.Cut(rest, DocEnd)
	if !ok {
		return "", errors.New("docs: routes:end marker missing")
	}
	return before + DocBegin + "\n" + table + DocEnd + after, nil
}
