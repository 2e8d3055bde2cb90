package routes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot walks up from the test's working directory to go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// serviceSpecs reads every api/<service>/v1/<service>.swagger.json, so a new
// service's operations are checked even before routes.yaml names it.
func serviceSpecs(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "api", "*", "v1", "*.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	specs := map[string][]byte{}
	for _, f := range files {
		service := filepath.Base(filepath.Dir(filepath.Dir(f)))
		if filepath.Base(f) != service+".swagger.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		specs[service] = data
	}
	if len(specs) < 4 {
		t.Fatalf("found OpenAPI documents for only %d services: %v", len(specs), files)
	}
	return specs
}

func TestRoutesMatchTheServicesOpenAPI(t *testing.T) {
	api, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckOpenAPI(api, serviceSpecs(t)); err != nil {
		t.Fatal(err)
	}
}

// fixtureSpec serves GET and POST /v1/things and GET /v1/things/{thing_id}.
const fixtureSpec = `{"swagger": "2.0", "paths": {
  "/v1/things": {
    "parameters": [],
    "get": {"operationId": "Things_List", "parameters": [{"name": "pageSize", "in": "query"}]},
    "post": {"operationId": "Things_Create", "parameters": [{"name": "body", "in": "body"}]}},
  "/v1/things/{thing_id}": {
    "get": {"operationId": "Things_Get", "parameters": [{"name": "thing_id", "in": "path"}]}}}}`

const fixtureRoutes = `services: {catalog: {port: 8082}}
routes:
- {method: GET, path: /api/v1/things, service: catalog, backend: /v1/things, auth: public, journey: browse, limit: default, query: [pageSize]}
- {method: POST, path: /api/v1/things, service: catalog, backend: /v1/things, auth: admin, journey: browse, limit: default}
- {method: GET, path: "/api/v1/things/{id}", service: catalog, backend: "/v1/things/{id}", auth: public, journey: browse, limit: default}
- {method: GET, path: "/api/v1/pictures/{file}", service: catalog, backend: "/v1/pictures/{file}", auth: public, journey: browse, limit: default, plain: true}
- {method: GET, path: /api/v1/overview, auth: public, journey: browse, limit: default, parts: [{service: catalog, backend: /v1/things, query: {pageSize: "3"}, group: things}]}
`

func fixture(t *testing.T, routes string) API {
	t.Helper()
	api, err := Parse([]byte(routes))
	if err != nil {
		t.Fatal(err)
	}
	return api
}

func TestTheFixtureMatches(t *testing.T) {
	if err := CheckOpenAPI(fixture(t, fixtureRoutes), map[string][]byte{"catalog": []byte(fixtureSpec)}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenAPIMismatchesAreReportedByName(t *testing.T) {
	drop := func(line string) string { return strings.Replace(fixtureRoutes, line+"\n", "", 1) }
	cases := []struct {
		name, routes, spec string
		want               []string
	}{
		{"a route to a missing path",
			fixtureRoutes + `- {method: GET, path: /api/v1/gadgets, service: catalog, backend: /v1/gadgets, auth: public, journey: browse, limit: default}` + "\n",
			fixtureSpec, []string{"GET /api/v1/gadgets: backend GET /v1/gadgets is not a path catalog serves"}},
		{"a route with the wrong method",
			fixtureRoutes + `- {method: DELETE, path: /api/v1/things, service: catalog, backend: /v1/things, auth: admin, journey: browse, limit: default}` + "\n",
			fixtureSpec, []string{"DELETE /api/v1/things: backend DELETE /v1/things: catalog serves that path only for [GET POST]"}},
		{"an operation with no route",
			drop(`- {method: POST, path: /api/v1/things, service: catalog, backend: /v1/things, auth: admin, journey: browse, limit: default}`),
			fixtureSpec, []string{"catalog operation Things_Create (POST /v1/things) has no gateway route"}},
		{"an operation reached only through an aggregate",
			drop(`- {method: GET, path: /api/v1/things, service: catalog, backend: /v1/things, auth: public, journey: browse, limit: default, query: [pageSize]}`),
			fixtureSpec, []string{"catalog operation Things_List (GET /v1/things) has no gateway route"}},
		{"an unknown query parameter",
			strings.Replace(fixtureRoutes, "query: [pageSize]", "query: [pageSize, colour]", 1),
			fixtureSpec, []string{`GET /api/v1/things: query parameter "colour" is not one of catalog GET /v1/things [pageSize]`}},
		{"an unknown query parameter of a part",
			strings.Replace(fixtureRoutes, `query: {pageSize: "3"}`, `query: {size: "3"}`, 1),
			fixtureSpec, []string{`GET /api/v1/overview: query parameter "size" is not one of catalog GET /v1/things`}},
		{"a service without a document",
			fixtureRoutes, "", []string{"GET /api/v1/things: no OpenAPI document for service catalog"}},
		{"an unreadable document",
			fixtureRoutes, "{", []string{"catalog OpenAPI: unexpected end of JSON input", "GET /api/v1/things: catalog OpenAPI is unreadable"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			specs := map[string][]byte{}
			if c.spec != "" {
				specs["catalog"] = []byte(c.spec)
			}
			err := CheckOpenAPI(fixture(t, c.routes), specs)
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("missing %q in:\n%v", want, err)
				}
			}
		})
	}
}

func TestParamsAreComparedByPosition(t *testing.T) {
	// The route says {id}, the document {thing_id}: the same path.
	err := CheckOpenAPI(fixture(t, fixtureRoutes), map[string][]byte{"catalog": []byte(fixtureSpec)})
	if err != nil {
		t.Fatal(err)
	}
	moved := strings.Replace(fixtureSpec, `"/v1/things/{thing_id}"`, `"/v1/{thing_id}/things"`, 1)
	err = CheckOpenAPI(fixture(t, fixtureRoutes), map[string][]byte{"catalog": []byte(moved)})
	if err == nil || !strings.Contains(err.Error(), `GET /api/v1/things/{id}: backend GET /v1/things/{id} is not a path catalog serves`) {
		t.Fatalf("got %v", err)
	}
}
