package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestRESTListsEverySeededProduct(t *testing.T) {
	c := startCatalog(t, nil)
	status, body := stacktest.Call(t, "GET", c.rest+"/v1/products?pageSize=100", "", nil)
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	products := body["products"].([]any)
	if len(products) != len(seed.Products) || body["nextPageToken"] != "" {
		t.Fatalf("got %d products (next %q), want %d on one page", len(products), body["nextPageToken"], len(seed.Products))
	}
	first := products[0].(map[string]any)
	price := first["price"].(map[string]any)
	if price["currencyCode"] != "EUR" || price["amountMinor"] == nil || first["imageUrl"] == "" {
		t.Fatalf("product JSON lacks lowerCamelCase fields: %v", first)
	}
}

func TestRESTPagesWithTokens(t *testing.T) {
	c := startCatalog(t, nil)
	seen, url := 0, c.rest+"/v1/products?category=lighting&pageSize=2"
	for pages := 0; ; pages++ {
		status, body := stacktest.Call(t, "GET", url, "", nil)
		if status != 200 || pages > 5 {
			t.Fatalf("status %d after %d pages: %v", status, pages, body)
		}
		seen += len(body["products"].([]any))
		next := body["nextPageToken"].(string)
		if next == "" {
			break
		}
		url = c.rest + "/v1/products?category=lighting&pageSize=2&pageToken=" + next
	}
	if seen != 5 {
		t.Fatalf("lighting pages held %d products, want 5", seen)
	}
}

func TestRESTGetSearchCategoriesAndImages(t *testing.T) {
	c := startCatalog(t, nil)
	status, p := stacktest.Call(t, "GET", c.rest+"/v1/products/storm-lantern", "", nil)
	if status != 200 || p["slug"] != "storm-lantern" {
		t.Fatalf("get by slug: %d %v", status, p)
	}
	status, byID := stacktest.Call(t, "GET", c.rest+"/v1/products/"+p["id"].(string), "", nil)
	if status != 200 || byID["slug"] != "storm-lantern" {
		t.Fatalf("get by id: %d %v", status, byID)
	}
	status, found := stacktest.Call(t, "GET", c.rest+"/v1/search?q=waterproof+torch", "", nil)
	if status != 200 || found["products"].([]any)[0].(map[string]any)["slug"] != "waterproof-torch" {
		t.Fatalf("search: %d %v", status, found)
	}
	status, cats := stacktest.Call(t, "GET", c.rest+"/v1/categories", "", nil)
	if status != 200 || len(cats["categories"].([]any)) != len(seed.Categories) {
		t.Fatalf("categories: %d %v", status, cats)
	}
	resp, err := http.Get(c.rest + "/v1/images/storm-lantern.svg")
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("image: %v %v", resp, err)
	}
	resp.Body.Close()
	if resp, _ := http.Get(c.rest + "/v1/images/unknown.svg"); resp.StatusCode != 404 {
		t.Fatalf("unknown image: %d", resp.StatusCode)
	}
}

func TestRESTBadInputNamesTheField(t *testing.T) {
	c := startCatalog(t, nil)
	admin := c.adminHeader(t)
	customer := stacktest.Bearer(c.identity.Token(t, "user-1", auth.RoleCustomer))
	cases := []struct {
		name, method, path, body string
		header                   stacktest.Header
		status                   int
		code, field              string
	}{
		{"malformed id", "GET", "/v1/products/Not_A_Slug", "", nil, 400, "INVALID_ARGUMENT", "idOrSlug"},
		{"page size over maximum", "GET", "/v1/products?pageSize=101", "", nil, 400, "INVALID_ARGUMENT", "pageSize"},
		{"negative page size", "GET", "/v1/products?pageSize=-1", "", nil, 400, "INVALID_ARGUMENT", "pageSize"},
		{"page size not a number", "GET", "/v1/products?pageSize=ten", "", nil, 400, "INVALID_ARGUMENT", "pageSize"},
		{"forged page token", "GET", "/v1/products?pageToken=abc", "", nil, 400, "INVALID_ARGUMENT", "pageToken"},
		{"empty search", "GET", "/v1/search?q=", "", nil, 400, "INVALID_ARGUMENT", "q"},
		{"malformed JSON", "POST", "/v1/admin/products", `{"slug":`, admin, 400, "INVALID_ARGUMENT", "body"},
		{"unknown field", "POST", "/v1/admin/products", `{"slug":"x","colour":"red"}`, admin, 400, "INVALID_ARGUMENT", "colour"},
		{"wrong field type", "POST", "/v1/admin/products", `{"stock":"many"}`, admin, 400, "INVALID_ARGUMENT", "stock"},
		{"negative stock", "POST", "/v1/admin/products", `{"slug":"a","name":"A","category":"galley","price":{"currencyCode":"EUR","amountMinor":"1"},"stock":-1}`, admin, 400, "INVALID_ARGUMENT", "stock"},
		{"malformed product id", "PATCH", "/v1/admin/products/123", `{"name":"x"}`, admin, 400, "INVALID_ARGUMENT", "id"},
		{"unknown product", "GET", "/v1/products/no-such-product", "", nil, 404, "NOT_FOUND", ""},
		{"unknown category", "GET", "/v1/products?category=no-such-category", "", nil, 404, "NOT_FOUND", ""},
		{"unknown route", "GET", "/v1/nothing-here", "", nil, 404, "NOT_FOUND", ""},
		{"admin without token", "POST", "/v1/admin/products", `{}`, nil, 401, "UNAUTHENTICATED", ""},
		{"admin with wrong token", "POST", "/v1/admin/products", `{}`, map[string]string{"Authorization": "Bearer wrong"}, 401, "UNAUTHENTICATED", ""},
		{"admin with basic auth", "POST", "/v1/admin/products", `{}`, map[string]string{"Authorization": "Basic eDp5"}, 401, "UNAUTHENTICATED", ""},
		{"customer token on admin route", "POST", "/v1/admin/products", `{}`, customer, 403, "PERMISSION_DENIED", ""},
		{"customer token on admin update", "PATCH", "/v1/admin/products/" + lantern, `{"stock":1}`, customer, 403, "PERMISSION_DENIED", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := stacktest.Call(t, tc.method, c.rest+tc.path, tc.body, tc.header)
			if status != tc.status || body["code"] != tc.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tc.status, tc.code)
			}
			if msg, _ := body["message"].(string); msg == "" || strings.Contains(msg, "panic") {
				t.Fatalf("message %q", msg)
			}
			if tc.field == "" {
				return
			}
			fields, _ := body["fields"].([]any)
			for _, f := range fields {
				if f.(map[string]any)["field"] == tc.field {
					return
				}
			}
			t.Fatalf("fields %v do not name %q", fields, tc.field)
		})
	}
}

func TestRESTAdminCreatesAndUpdates(t *testing.T) {
	c := startCatalog(t, nil)
	admin := c.adminHeader(t)
	status, p := stacktest.Call(t, "POST", c.rest+"/v1/admin/products",
		`{"slug":"sea-chest","name":"Sea Chest","category":"deck-gear","price":{"currencyCode":"EUR","amountMinor":"19900"},"stock":3}`, admin)
	if status != 201 || p["slug"] != "sea-chest" || p["stock"].(float64) != 3 {
		t.Fatalf("create: %d %v", status, p)
	}
	status, up := stacktest.Call(t, "PATCH", c.rest+"/v1/admin/products/"+p["id"].(string), `{"stock":9}`, admin)
	if status != 200 || up["stock"].(float64) != 9 || up["name"] != "Sea Chest" {
		t.Fatalf("update: %d %v", status, up)
	}
	status, dup := stacktest.Call(t, "POST", c.rest+"/v1/admin/products",
		`{"slug":"sea-chest","name":"Again","category":"deck-gear","price":{"currencyCode":"EUR","amountMinor":"1"}}`, admin)
	if status != 409 || dup["code"] != "ALREADY_EXISTS" {
		t.Fatalf("duplicate: %d %v", status, dup)
	}
}

func TestRequestIDIsEchoedAndReported(t *testing.T) {
	c := startCatalog(t, nil)
	status, body, h := stacktest.Request(t, "GET", c.rest+"/v1/products/no-such-product", "", map[string]string{"X-Request-Id": "trace-me-42"})
	if status != 404 || h.Get("X-Request-Id") != "trace-me-42" || body["requestId"] != "trace-me-42" {
		t.Fatalf("status %d header %q body %v", status, h.Get("X-Request-Id"), body)
	}
	_, _, h = stacktest.Request(t, "GET", c.rest+"/v1/categories", "", map[string]string{"X-Request-Id": "bad id with spaces"})
	if got := h.Get("X-Request-Id"); got == "" || strings.Contains(got, " ") {
		t.Fatalf("invalid incoming id must be replaced, got %q", got)
	}
}
