package clustertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// card is the simulated payment provider's accepted test card.
const card = `{"card":{"number":"4242424242424242","expMonth":12,"expYear":2099,"cvc":"123"}}`

// Checkout is one shopper's whole journey through the cluster's gateway:
// sign up, sign in, read the listing, put its first product in the cart
// and check out (with an Idempotency-Key, and extra on the order request,
// e.g. X-Request-Id or traceparent). Any step that fails fails t.
func Checkout(t testing.TB, extra stacktest.Header) {
	t.Helper()
	api := ServiceURL(t, "shipshape", "gateway", 8080) + "/api/v1"
	email := fmt.Sprintf("shopper-%d@example.com", time.Now().UnixNano())
	const password = "correct horse battery staple"
	if status, body := stacktest.Call(t, "POST", api+"/auth/signup", fmt.Sprintf(`{"email":%q,"password":%q,"name":"Shopper"}`, email, password), nil); status != 201 {
		t.Fatalf("sign-up: %d %v", status, body)
	}
	status, tokens := stacktest.Call(t, "POST", api+"/auth/signin", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password), nil)
	if status != 200 || tokens["accessToken"] == nil {
		t.Fatalf("sign-in: %d %v", status, tokens)
	}
	me := stacktest.Bearer(tokens["accessToken"].(string))
	status, listing := stacktest.Call(t, "GET", api+"/products?pageSize=1", "", nil)
	products, _ := listing["products"].([]any)
	if status != 200 || len(products) != 1 {
		t.Fatalf("products: %d %v", status, listing)
	}
	product := products[0].(map[string]any)
	if status, body := stacktest.Call(t, "POST", api+"/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":1}`, product["id"]), me); status != 200 {
		t.Fatalf("add to cart: %d %v", status, body)
	}
	order := me.With("Idempotency-Key", uuid.NewString())
	for k, v := range extra {
		order = order.With(k, v)
	}
	if status, body := stacktest.Call(t, "POST", api+"/orders", card, order); status != 201 {
		t.Fatalf("checkout: %d %v", status, body)
	}
}
