package app_test

import (
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
)

// Bob never sees or changes Alice's cart: there is no cart id to name, and
// her product ids are simply not lines of his cart.
func TestUsersOnlyEverReachTheirOwnCart(t *testing.T) {
	s := start(t, nil)
	alice, bob := s.token(t, "alice"), s.token(t, "bob")
	if code, body := s.call(t, "POST", "/v1/cart/items", `{"productId":"`+lantern+`","quantity":3}`, alice); code != 200 {
		t.Fatalf("alice adds: %d %v", code, body)
	}

	code, cart := s.call(t, "GET", "/v1/cart", "", bob)
	if code != 200 || len(items(t, cart)) != 0 || cart["version"] != "0" {
		t.Fatalf("bob's cart: %d %v", code, cart)
	}
	for _, r := range []struct{ method, body string }{{"PATCH", `{"quantity":1}`}, {"DELETE", ""}} {
		code, body := s.call(t, r.method, "/v1/cart/items/"+lantern, r.body, bob)
		if code != 404 || body["code"] != "NOT_FOUND" {
			t.Fatalf("bob %s alice's product: %d %v", r.method, code, body)
		}
	}
	if _, err := s.cart.RemoveItem(s.as(t, "bob"), &cartv1.RemoveItemRequest{ProductId: lantern}); status.Code(err) != codes.NotFound {
		t.Fatalf("bob removes over gRPC: %v", err)
	}
	// Bob clearing clears his own (empty) cart, whatever version he names.
	if code, body := s.call(t, "DELETE", "/v1/cart", "", bob); code != 200 {
		t.Fatalf("bob clears: %d %v", code, body)
	}
	if _, err := s.cart.ClearCart(s.as(t, "bob"), &cartv1.ClearCartRequest{IfVersion: 1}); err != nil {
		t.Fatal(err)
	}
	// Bob's own additions land in his cart only.
	if code, _ := s.call(t, "POST", "/v1/cart/items", `{"productId":"`+lantern+`","quantity":1}`, bob); code != 200 {
		t.Fatal(code)
	}

	v, lines := s.stored(t, "alice")
	if v != 1 || len(lines) != 1 || lines[lantern] != 3 {
		t.Fatalf("alice's cart after bob: version %d, %v", v, lines)
	}
	code, cart = s.call(t, "GET", "/v1/cart", "", alice)
	if code != 200 || items(t, cart)[0]["quantity"].(float64) != 3 || cart["version"] != "1" {
		t.Fatalf("alice sees: %d %v", code, cart)
	}
	if v, lines := s.stored(t, "bob"); v != 1 || lines[lantern] != 1 {
		t.Fatalf("bob's cart: version %d, %v", v, lines)
	}
}
