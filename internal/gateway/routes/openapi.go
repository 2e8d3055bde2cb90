package routes

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// operation is one method + path of a service's OpenAPI (Swagger 2) document.
type operation struct {
	id, method, path string
	query            []string
}

// swagger is the part of a generated document the check reads.
type swagger struct {
	Paths map[string]map[string]json.RawMessage `json:"paths"`
}

type swaggerOperation struct {
	OperationID string `json:"operationId"`
	Parameters  []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
}

// anyParam turns "/v1/products/{id_or_slug}" into "/v1/products/{}": params
// are compared by position, since the generator may name them differently.
var anyParam = regexp.MustCompile(`\{[^}]*\}`)

func template(path string) string { return anyParam.ReplaceAllString(path, "{}") }

// parseSpec indexes a document's operations by their template path, then method.
func parseSpec(data []byte) (map[string]map[string]operation, error) {
	var doc swagger
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	ops := map[string]map[string]operation{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			method = strings.ToUpper(method)
			if !slices.Contains(methods, method) {
				continue // path-level "parameters" and vendor extensions
			}
			var so swaggerOperation
			if err := json.Unmarshal(raw, &so); err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			op := operation{id: so.OperationID, method: method, path: path}
			for _, p := range so.Parameters {
				if p.In == "query" {
					op.query = append(op.query, p.Name)
				}
			}
			if ops[template(path)] == nil {
				ops[template(path)] = map[string]operation{}
			}
			ops[template(path)][method] = op
		}
	}
	return ops, nil
}

// call is one backend request a route makes.
type call struct {
	method, service, backend string
	query                    []string
}

// calls lists a route's backend requests: its own, or one GET per part.
func (r Route) calls() []call {
	if !r.Aggregated() {
		return []call{{r.Method, r.Service, r.Backend, r.Query}}
	}
	var out []call
	for _, p := range r.Parts {
		out = append(out, call{"GET", p.Service, p.Backend, slices.Sorted(maps.Keys(p.Query))})
	}
	return out
}

// CheckOpenAPI checks the definition against the services' generated OpenAPI
// documents (specs: service name -> swagger.json) both ways: every backend a
// route calls is an operation of its service, with the same method and the
// query parameters the route passes; and every operation has a route of its
// own, so no public service route is left unreachable. Plain routes are
// outside the contract and skipped. Every problem is reported, each naming
// its route or operation.
func CheckOpenAPI(api API, specs map[string][]byte) error {
	var errs []string
	indexed := map[string]map[string]map[string]operation{}
	for _, service := range slices.Sorted(maps.Keys(specs)) {
		ops, err := parseSpec(specs[service])
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s OpenAPI: %v", service, err))
			continue
		}
		indexed[service] = ops
	}
	covered := map[string]bool{} // "service METHOD path"
	for _, r := range api.Routes {
		if r.Plain {
			continue
		}
		for _, c := range r.calls() {
			op, problem := find(indexed, specs, c)
			if problem != "" {
				errs = append(errs, r.Name()+": "+problem)
				continue
			}
			for _, q := range c.query {
				if !slices.Contains(op.query, q) {
					errs = append(errs, fmt.Sprintf("%s: query parameter %q is not one of %s %s %s %v",
						r.Name(), q, c.service, op.method, op.path, op.query))
				}
			}
			// A part passes fixed query values only, so it cannot stand in
			// for a route of the operation's own.
			if !r.Aggregated() {
				covered[c.service+" "+op.method+" "+op.path] = true
			}
		}
	}
	for _, service := range slices.Sorted(maps.Keys(indexed)) {
		for _, path := range slices.Sorted(maps.Keys(indexed[service])) {
			for _, method := range slices.Sorted(maps.Keys(indexed[service][path])) {
				op := indexed[service][path][method]
				if !covered[service+" "+op.method+" "+op.path] {
					errs = append(errs, fmt.Sprintf("%s operation %s (%s %s) has no gateway route", service, op.id, op.method, op.path))
				}
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("routes: OpenAPI mismatch:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// find returns the operation a call reaches, or why there is none.
func find(indexed map[string]map[string]map[string]operation, specs map[string][]byte, c call) (operation, string) {
	ops, ok := indexed[c.service]
	if !ok {
		if _, given := specs[c.service]; given {
			return operation{}, fmt.Sprintf("%s OpenAPI is unreadable", c.service) // reported above
		}
		return operation{}, fmt.Sprintf("no OpenAPI document for service %s", c.service)
	}
	byMethod, ok := ops[template(c.backend)]
	if !ok {
		return operation{}, fmt.Sprintf("backend %s %s is not a path %s serves", c.method, c.backend, c.service)
	}
	op, ok := byMethod[c.method]
	if !ok {
		return operation{}, fmt.Sprintf("backend %s %s: %s serves that path only for %v",
			c.method, c.backend, c.service, slices.Sorted(maps.Keys(byMethod)))
	}
	return op, ""
}
