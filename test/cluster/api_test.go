//go:build cluster

package cluster_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

const (
	password = "correct horse battery staple"
	card     = `{"card":{"number":"4242424242424242","expMonth":12,"expYear":2099,"cvc":"123"}}`
)

// customer signs up a new user through the public API and returns its
// e-mail and a bearer header.
func customer(t *testing.T, api string) (string, stacktest.Header) {
	t.Helper()
	email := fmt.Sprintf("cluster-%d@example.com", time.Now().UnixNano())
	if status, body := stacktest.Call(t, "POST", api+"/auth/signup", fmt.Sprintf(`{"email":%q,"password":%q,"name":"Cluster"}`, email, password), nil); status != 201 {
		t.Fatalf("sign-up: %d %v", status, body)
	}
	return email, signIn(t, api, email)
}

func signIn(t *testing.T, api, email string) stacktest.Header {
	t.Helper()
	status, tokens := stacktest.Call(t, "POST", api+"/auth/signin", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password), nil)
	if status != 200 || tokens["accessToken"] == nil {
		t.Fatalf("sign-in: %d %v", status, tokens)
	}
	return stacktest.Bearer(tokens["accessToken"].(string))
}

// buy puts one product of the given category in the cart and checks out;
// it returns the order's id.
func buy(t *testing.T, api string, me stacktest.Header, category string) string {
	t.Helper()
	status, listing := stacktest.Call(t, "GET", api+"/products?category="+category+"&pageSize=1", "", nil)
	if status != 200 || len(listing["products"].([]any)) != 1 {
		t.Fatalf("category %s: %d %v", category, status, listing)
	}
	product := listing["products"].([]any)[0].(map[string]any)
	if status, body := stacktest.Call(t, "POST", api+"/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":2}`, product["id"]), me); status != 200 {
		t.Fatalf("add to cart: %d %v", status, body)
	}
	status, order := stacktest.Call(t, "POST", api+"/orders", card, me.With("Idempotency-Key", uuid.NewString()))
	if status != 201 || order["status"] != "ORDER_STATUS_PAID" {
		t.Fatalf("checkout: %d %v", status, order)
	}
	return order["id"].(string)
}

func orderIDs(t *testing.T, api string, me stacktest.Header) []string {
	t.Helper()
	status, history := stacktest.Call(t, "GET", api+"/orders?pageSize=50", "", me)
	if status != 200 {
		t.Fatalf("history: %d %v", status, history)
	}
	var ids []string
	for _, o := range history["orders"].([]any) {
		ids = append(ids, o.(map[string]any)["id"].(string))
	}
	return ids
}

// The public API through the cluster: the gateway's Service, the services
// behind it, PostgreSQL behind them, every hop over the pod network and
// through the network policies.
func TestShoppingThroughTheCluster(t *testing.T) {
	rolledOut(t)
	api := apiURL(t)

	status, cats := stacktest.Call(t, "GET", api+"/categories", "", nil)
	if status != 200 || len(cats["categories"].([]any)) < 4 {
		t.Fatalf("categories: %d %v", status, cats)
	}
	if status, found := stacktest.Call(t, "GET", api+"/search?q=lantern", "", nil); status != 200 || len(found["products"].([]any)) == 0 {
		t.Fatalf("search: %d %v", status, found)
	}
	if status, home := stacktest.Call(t, "GET", api+"/storefront/home", "", nil); status != 200 || home["featured"] == nil {
		t.Fatalf("home: %d %v", status, home)
	}
	if status, body := stacktest.Call(t, "GET", api+"/cart", "", nil); status != 401 {
		t.Fatalf("cart without a token: %d %v, want 401", status, body)
	}

	_, me := customer(t, api)
	id := buy(t, api, me, "lighting")
	if ids := orderIDs(t, api, me); len(ids) != 1 || ids[0] != id {
		t.Fatalf("history %v, want exactly order %s", ids, id)
	}
	if status, cart := stacktest.Call(t, "GET", api+"/cart", "", me); status != 200 || cart["itemCount"].(float64) != 0 {
		t.Fatalf("cart after checkout: %d %v, want empty", status, cart)
	}
}
