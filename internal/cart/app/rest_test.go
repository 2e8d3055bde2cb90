package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

func items(t *testing.T, cart map[string]any) []map[string]any {
	t.Helper()
	raw, ok := cart["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", cart)
	}
	out := make([]map[string]any, len(raw))
	for i, it := range raw {
		out[i] = it.(map[string]any)
	}
	return out
}

func TestRESTAddGetUpdateRemoveClear(t *testing.T) {
	s := start(t, nil)
	tok := s.token(t, "alice")

	code, cart := s.call(t, "GET", "/v1/cart", "", tok)
	if code != 200 || len(items(t, cart)) != 0 || cart["version"] != "0" || cart["itemCount"].(float64) != 0 {
		t.Fatalf("empty cart: %d %v", code, cart)
	}

	code, cart = s.call(t, "POST", "/v1/cart/items", `{"productId":"`+lantern+`","quantity":2}`, tok)
	if code != 200 {
		t.Fatalf("add: %d %v", code, cart)
	}
	code, cart = s.call(t, "POST", "/v1/cart/items", `{"productId":"`+torch+`","quantity":1}`, tok)
	if code != 200 || cart["version"] != "2" {
		t.Fatalf("second add: %d %v", code, cart)
	}
	line := items(t, cart)[0]
	if line["productId"] != lantern || line["quantity"].(float64) != 2 || line["slug"] != "storm-lantern" ||
		line["name"] != "Storm Lantern" || !strings.HasSuffix(line["imageUrl"].(string), "storm-lantern.svg") ||
		line["available"].(float64) != 28 {
		t.Fatalf("line = %v", line)
	}
	if unit := line["unitPrice"].(map[string]any); unit["currencyCode"] != "EUR" || unit["amountMinor"] != "3290" {
		t.Fatalf("unit price = %v", unit)
	}
	if total := line["lineTotal"].(map[string]any); total["amountMinor"] != "6580" {
		t.Fatalf("line total = %v", total)
	}
	sub := cart["subtotal"].(map[string]any)
	if sub["currencyCode"] != "EUR" || sub["amountMinor"] != "9170" || cart["itemCount"].(float64) != 3 || cart["updateTime"] == nil {
		t.Fatalf("cart totals: %v", cart)
	}

	// Adding to an existing line adds the quantities.
	code, cart = s.call(t, "POST", "/v1/cart/items", `{"productId":"`+lantern+`","quantity":3}`, tok)
	if code != 200 || items(t, cart)[0]["quantity"].(float64) != 5 || len(items(t, cart)) != 2 {
		t.Fatalf("add again: %d %v", code, cart)
	}

	code, cart = s.call(t, "PATCH", "/v1/cart/items/"+lantern, `{"quantity":7}`, tok)
	if code != 200 || items(t, cart)[0]["quantity"].(float64) != 7 || cart["version"] != "4" {
		t.Fatalf("update: %d %v", code, cart)
	}

	code, cart = s.call(t, "DELETE", "/v1/cart/items/"+torch, "", tok)
	if code != 200 || len(items(t, cart)) != 1 || cart["version"] != "5" {
		t.Fatalf("remove: %d %v", code, cart)
	}

	code, got := s.call(t, "GET", "/v1/cart", "", tok)
	if code != 200 || got["version"] != "5" || items(t, got)[0]["quantity"].(float64) != 7 {
		t.Fatalf("get: %d %v", code, got)
	}

	// A stale ifVersion keeps the items.
	code, cart = s.call(t, "DELETE", "/v1/cart?ifVersion=4", "", tok)
	if code != 200 || len(items(t, cart)) != 1 || cart["version"] != "5" {
		t.Fatalf("stale clear: %d %v", code, cart)
	}
	code, cart = s.call(t, "DELETE", "/v1/cart?ifVersion=5", "", tok)
	if code != 200 || len(items(t, cart)) != 0 || cart["version"] != "6" {
		t.Fatalf("clear: %d %v", code, cart)
	}
	s.call(t, "POST", "/v1/cart/items", `{"productId":"`+lantern+`","quantity":1}`, tok)
	code, cart = s.call(t, "DELETE", "/v1/cart", "", tok)
	if code != 200 || len(items(t, cart)) != 0 || cart["version"] != "8" {
		t.Fatalf("unconditional clear: %d %v", code, cart)
	}
}

func TestRESTEveryRouteNeedsAValidToken(t *testing.T) {
	s := start(t, nil)
	routes := []struct{ method, path, body string }{
		{"GET", "/v1/cart", ""},
		{"POST", "/v1/cart/items", `{"productId":"` + lantern + `","quantity":1}`},
		{"PATCH", "/v1/cart/items/" + lantern, `{"quantity":1}`},
		{"DELETE", "/v1/cart/items/" + lantern, ""},
		{"DELETE", "/v1/cart", ""},
	}
	valid := s.token(t, "alice")
	past := time.Now().Add(-time.Hour)
	tokens := map[string]string{
		"no token":            "",
		"garbage":             "not-a-jwt",
		"three garbage parts": "aaa.bbb.ccc",
		"unknown signing key": authtest.NewIssuer(t).Token(t, "alice", "customer"),
		"bad signature":       valid[:len(valid)-4] + "AAAA",
		"expired": s.iss.Sign(t, auth.Claims{RegisteredClaims: jwt.RegisteredClaims{
			Issuer: authtest.DefaultIssuer, Audience: jwt.ClaimStrings{authtest.DefaultAudience}, Subject: "alice",
			IssuedAt: jwt.NewNumericDate(past), ExpiresAt: jwt.NewNumericDate(past.Add(15 * time.Minute))}}),
	}
	for name, tok := range tokens {
		for _, r := range routes {
			code, body := s.call(t, r.method, r.path, r.body, tok)
			if code != 401 || body["code"] != "UNAUTHENTICATED" {
				t.Errorf("%s: %s %s = %d %v, want 401", name, r.method, r.path, code, body)
			}
		}
	}
	if v, lines := s.stored(t, "alice"); v != 0 || len(lines) != 0 {
		t.Fatalf("refused calls changed the cart: version %d, %v", v, lines)
	}
}

func TestRESTBadInputLeavesTheCartUnchanged(t *testing.T) {
	s := start(t, nil)
	tok := s.token(t, "alice")
	if code, body := s.call(t, "POST", "/v1/cart/items", `{"productId":"`+jacket+`","quantity":5}`, tok); code != 200 {
		t.Fatalf("setup: %d %v", code, body)
	}
	s.setStock(t, torch, 0)
	item := func(id, qty string) string { return `{"productId":"` + id + `","quantity":` + qty + `}` }
	cases := []struct {
		name, method, path, body string
		status                   int
		code, field, reason      string
	}{
		{"zero quantity", "POST", "/v1/cart/items", item(lantern, "0"), 400, "INVALID_ARGUMENT", "quantity", "at least 1"},
		{"negative quantity", "POST", "/v1/cart/items", item(lantern, "-1"), 400, "INVALID_ARGUMENT", "quantity", "at least 1"},
		{"huge quantity", "POST", "/v1/cart/items", item(lantern, "100"), 400, "INVALID_ARGUMENT", "quantity", "at most 99"},
		{"missing quantity", "POST", "/v1/cart/items", `{"productId":"` + lantern + `"}`, 400, "INVALID_ARGUMENT", "quantity", ""},
		{"malformed product id", "POST", "/v1/cart/items", item("storm-lantern", "1"), 400, "INVALID_ARGUMENT", "productId", "UUID"},
		{"uppercase product id", "POST", "/v1/cart/items", item(strings.ToUpper(lantern), "1"), 400, "INVALID_ARGUMENT", "productId", "UUID"},
		{"unknown product", "POST", "/v1/cart/items", item("00000000-0000-4000-8000-000000000000", "1"), 404, "NOT_FOUND", "productId", ""},
		{"out of stock", "POST", "/v1/cart/items", item(torch, "1"), 400, "FAILED_PRECONDITION", "productId", "out of stock"},
		{"more than in stock", "POST", "/v1/cart/items", item(jacket, "4"), 400, "FAILED_PRECONDITION", "quantity", "only 8 in stock"},
		{"total over 99", "POST", "/v1/cart/items", item(jacket, "95"), 400, "INVALID_ARGUMENT", "quantity", "at most 99"},
		{"malformed JSON", "POST", "/v1/cart/items", `{"productId":`, 400, "INVALID_ARGUMENT", "body", ""},
		{"unknown field", "POST", "/v1/cart/items", `{"productId":"` + lantern + `","quantity":1,"colour":"red"}`, 400, "INVALID_ARGUMENT", "colour", ""},
		{"quantity not a number", "POST", "/v1/cart/items", item(lantern, `"two"`), 400, "INVALID_ARGUMENT", "quantity", ""},
		{"update to zero", "PATCH", "/v1/cart/items/" + jacket, `{"quantity":0}`, 400, "INVALID_ARGUMENT", "quantity", ""},
		{"update over stock", "PATCH", "/v1/cart/items/" + jacket, `{"quantity":9}`, 400, "FAILED_PRECONDITION", "quantity", "only 8 in stock"},
		{"update over 99", "PATCH", "/v1/cart/items/" + jacket, `{"quantity":100}`, 400, "INVALID_ARGUMENT", "quantity", "at most 99"},
		{"update a line not in the cart", "PATCH", "/v1/cart/items/" + lantern, `{"quantity":1}`, 404, "NOT_FOUND", "productId", ""},
		{"update malformed id", "PATCH", "/v1/cart/items/xyz", `{"quantity":1}`, 400, "INVALID_ARGUMENT", "productId", ""},
		{"remove a line not in the cart", "DELETE", "/v1/cart/items/" + lantern, "", 404, "NOT_FOUND", "productId", ""},
		{"remove malformed id", "DELETE", "/v1/cart/items/xyz", "", 400, "INVALID_ARGUMENT", "productId", ""},
		{"negative ifVersion", "DELETE", "/v1/cart?ifVersion=-1", "", 400, "INVALID_ARGUMENT", "ifVersion", ""},
		{"ifVersion not a number", "DELETE", "/v1/cart?ifVersion=abc", "", 400, "INVALID_ARGUMENT", "ifVersion", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.call(t, tc.method, tc.path, tc.body, tok)
			if code != tc.status || body["code"] != tc.code {
				t.Fatalf("got %d %v, want %d %s", code, body, tc.status, tc.code)
			}
			if !fieldNamed(body, tc.field) {
				t.Fatalf("fields of %v do not name %q", body, tc.field)
			}
			if !strings.Contains(body["message"].(string)+" "+reasons(body), tc.reason) {
				t.Fatalf("%v does not say %q", body, tc.reason)
			}
			code, cart := s.call(t, "GET", "/v1/cart", "", tok)
			if code != 200 || cart["version"] != "1" || len(items(t, cart)) != 1 || items(t, cart)[0]["quantity"].(float64) != 5 {
				t.Fatalf("cart changed: %d %v", code, cart)
			}
		})
	}
}

func reasons(body map[string]any) string {
	var out []string
	fields, _ := body["fields"].([]any)
	for _, f := range fields {
		out = append(out, f.(map[string]any)["reason"].(string))
	}
	return strings.Join(out, "; ")
}
