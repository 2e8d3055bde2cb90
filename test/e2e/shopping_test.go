package e2e_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"

	identityapp "github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

const card = `{"card":{"number":"4242424242424242","expMonth":12,"expYear":2099,"cvc":"123"}}`

// signUpAndIn creates an account and returns its access and refresh tokens.
func (s *system) signUpAndIn(t *testing.T, email string) (access, refresh string) {
	t.Helper()
	status, user := stacktest.Call(t, "POST", s.identity.REST+"/v1/auth/signup",
		fmt.Sprintf(`{"email":%q,"password":"correct horse battery staple","name":"Test Shopper"}`, email), nil)
	if status != 201 || user["email"] != strings.ToLower(email) {
		t.Fatalf("sign-up: %d %v", status, user)
	}
	return s.signIn(t, email)
}

func (s *system) signIn(t *testing.T, email string) (access, refresh string) {
	t.Helper()
	status, tokens := stacktest.Call(t, "POST", s.identity.REST+"/v1/auth/signin",
		fmt.Sprintf(`{"email":%q,"password":"correct horse battery staple"}`, email), nil)
	if status != 200 || tokens["tokenType"] != "Bearer" {
		t.Fatalf("sign-in: %d %v", status, tokens)
	}
	return tokens["accessToken"].(string), tokens["refreshToken"].(string)
}

// The whole journey, every service real: sign up, sign in, browse, fill
// the cart, check out, find the order in the history.
func TestShoppingJourney(t *testing.T) {
	s := startSystem(t)
	access, refresh := s.signUpAndIn(t, "Shopper@Example.com")
	me := stacktest.Bearer(access)

	if status, body := stacktest.Call(t, "GET", s.identity.REST+"/v1/me", "", me); status != 200 || body["email"] != "shopper@example.com" {
		t.Fatalf("me: %d %v", status, body)
	}
	// Browse as anyone.
	status, cats := stacktest.Call(t, "GET", s.catalog.REST+"/v1/categories", "", nil)
	if status != 200 || len(cats["categories"].([]any)) < 4 {
		t.Fatalf("categories: %d %v", status, cats)
	}
	status, lighting := stacktest.Call(t, "GET", s.catalog.REST+"/v1/products?category=lighting&pageSize=10", "", nil)
	if status != 200 || len(lighting["products"].([]any)) == 0 {
		t.Fatalf("category listing: %d %v", status, lighting)
	}
	status, found := stacktest.Call(t, "GET", s.catalog.REST+"/v1/search?q=kettle", "", nil)
	if status != 200 || len(found["products"].([]any)) == 0 {
		t.Fatalf("search: %d %v", status, found)
	}
	lantern := lighting["products"].([]any)[0].(map[string]any)
	kettle := found["products"].([]any)[0].(map[string]any)

	// Fill the cart and change a quantity.
	for _, p := range []map[string]any{lantern, kettle} {
		if status, body := stacktest.Call(t, "POST", s.cart.REST+"/v1/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":1}`, p["id"]), me); status != 200 {
			t.Fatalf("add %s: %d %v", p["slug"], status, body)
		}
	}
	status, cart := stacktest.Call(t, "PATCH", s.cart.REST+"/v1/cart/items/"+lantern["id"].(string), `{"quantity":3}`, me)
	if status != 200 || cart["itemCount"].(float64) != 4 {
		t.Fatalf("change quantity: %d %v", status, cart)
	}

	// Check out; the cart empties and the order is in the history.
	status, order := stacktest.Call(t, "POST", s.orders.REST+"/v1/orders", card, me.With("Idempotency-Key", uuid.NewString()))
	if status != 201 || order["status"] != "ORDER_STATUS_PAID" || len(order["lines"].([]any)) != 2 {
		t.Fatalf("checkout: %d %v", status, order)
	}
	wantTotal := 3*price(lantern) + price(kettle)
	if got := order["total"].(map[string]any)["amountMinor"]; got != fmt.Sprint(wantTotal) {
		t.Fatalf("total %v, want %d", got, wantTotal)
	}
	if status, cart := stacktest.Call(t, "GET", s.cart.REST+"/v1/cart", "", me); status != 200 || cart["itemCount"].(float64) != 0 {
		t.Fatalf("cart after checkout: %d %v", status, cart)
	}
	status, history := stacktest.Call(t, "GET", s.orders.REST+"/v1/orders", "", me)
	if status != 200 || len(history["orders"].([]any)) != 1 || history["orders"].([]any)[0].(map[string]any)["id"] != order["id"] {
		t.Fatalf("history: %d %v", status, history)
	}

	// Another shopper sees none of it.
	other, _ := s.signUpAndIn(t, "other@example.com")
	if status, _ := stacktest.Call(t, "GET", s.orders.REST+"/v1/orders/"+order["id"].(string), "", stacktest.Bearer(other)); status != 404 {
		t.Fatalf("another user reading the order: %d, want 404", status)
	}

	// Refresh rotates; sign-out ends the session.
	status, tokens := stacktest.Call(t, "POST", s.identity.REST+"/v1/auth/refresh", fmt.Sprintf(`{"refreshToken":%q}`, refresh), nil)
	if status != 200 {
		t.Fatalf("refresh: %d %v", status, tokens)
	}
	if status, _ := stacktest.Call(t, "GET", s.orders.REST+"/v1/orders", "", stacktest.Bearer(tokens["accessToken"].(string))); status != 200 {
		t.Fatalf("refreshed access token refused: %d", status)
	}
	if status, _ := stacktest.Call(t, "POST", s.identity.REST+"/v1/auth/signout", fmt.Sprintf(`{"refreshToken":%q}`, tokens["refreshToken"]), nil); status != 200 {
		t.Fatalf("sign-out: %d", status)
	}
	if status, _ := stacktest.Call(t, "POST", s.identity.REST+"/v1/auth/refresh", fmt.Sprintf(`{"refreshToken":%q}`, tokens["refreshToken"]), nil); status != 401 {
		t.Fatalf("refresh after sign-out: %d, want 401", status)
	}

	// An operator granted the admin role ships the order.
	t.Setenv("DATABASE_URL", s.identityDB)
	if code := cli.Main("identity", []string{"grant-admin", "shopper@example.com"}, io.Discard, identityapp.Commands()...); code != 0 {
		t.Fatalf("grant-admin exited %d", code)
	}
	adminAccess, _ := s.signIn(t, "shopper@example.com")
	status, shipped := stacktest.Call(t, "PATCH", s.orders.REST+"/v1/admin/orders/"+order["id"].(string),
		`{"status":"ORDER_STATUS_SHIPPED"}`, stacktest.Bearer(adminAccess))
	if status != 200 || shipped["status"] != "ORDER_STATUS_SHIPPED" {
		t.Fatalf("ship: %d %v", status, shipped)
	}
	if status, _ := stacktest.Call(t, "PATCH", s.orders.REST+"/v1/admin/orders/"+order["id"].(string),
		`{"status":"ORDER_STATUS_DELIVERED"}`, stacktest.Bearer(other)); status != 403 {
		t.Fatalf("customer shipping: %d, want 403", status)
	}
}

func price(p map[string]any) int64 {
	var n int64
	fmt.Sscan(p["price"].(map[string]any)["amountMinor"].(string), &n)
	return n
}
