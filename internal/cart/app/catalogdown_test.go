package app_test

import (
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// With catalog stopped every call that needs it answers 503 and writes
// nothing; cart itself stays ready, and clearing (which needs no catalog)
// still works.
func TestCatalogDownIsUnavailableAndWritesNothing(t *testing.T) {
	s := start(t, nil)
	tok := s.token(t, "alice")
	if code, body := s.call(t, "POST", "/v1/cart/items", `{"productId":"`+lantern+`","quantity":2}`, tok); code != 200 {
		t.Fatalf("setup: %d %v", code, body)
	}
	s.stopCatalog()

	calls := []struct{ name, method, path, body string }{
		{"add new", "POST", "/v1/cart/items", `{"productId":"` + torch + `","quantity":1}`},
		{"add more", "POST", "/v1/cart/items", `{"productId":"` + lantern + `","quantity":1}`},
		{"update", "PATCH", "/v1/cart/items/" + lantern, `{"quantity":5}`},
		{"remove", "DELETE", "/v1/cart/items/" + lantern, ""},
		{"get", "GET", "/v1/cart", ""},
		{"stale clear", "DELETE", "/v1/cart?ifVersion=9", ""},
	}
	for _, c := range calls {
		code, body := s.call(t, c.method, c.path, c.body, tok)
		if code != 503 || body["code"] != "UNAVAILABLE" {
			t.Errorf("%s: %d %v, want 503 UNAVAILABLE", c.name, code, body)
		}
		if v, lines := s.stored(t, "alice"); v != 1 || len(lines) != 1 || lines[lantern] != 2 {
			t.Fatalf("%s changed the cart: version %d, %v", c.name, v, lines)
		}
	}
	_, err := s.cart.AddItem(s.as(t, "alice"), &cartv1.AddItemRequest{ProductId: torch, Quantity: 1})
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("gRPC add: %v, want Unavailable", err)
	}
	if code := stacktest.Probe(s.admin + "/readyz"); code != 200 {
		t.Fatalf("readyz with catalog down = %d, want 200 (catalog is no readiness check)", code)
	}

	res, err := s.cart.ClearCart(s.as(t, "alice"), &cartv1.ClearCartRequest{IfVersion: 1})
	if err != nil || !res.GetCleared() || len(res.GetCart().GetItems()) != 0 {
		t.Fatalf("clear with catalog down: %v %v", res, err)
	}
}
