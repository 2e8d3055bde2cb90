package e2e_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/gateway/standin"
	identityapp "github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// startStandin serves the public API in front of s, in-process on a real
// loopback listener, verifying tokens against identity's JWKS as `make run`
// does; it returns the API's base URL ("http://127.0.0.1:port/api/v1").
func startStandin(t *testing.T, s *system) string {
	t.Helper()
	api, err := routes.Load()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GATEWAY_ADDR": "127.0.0.1:0", "IDENTITY_URL": s.identity.REST, "CATALOG_URL": s.catalog.REST,
		"CART_URL": s.cart.REST, "ORDERS_URL": s.orders.REST, "LOG_LEVEL": "error"}
	cfg, err := standin.LoadConfig(api, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrs, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- standin.Serve(ctx, api, cfg, logging.New(io.Discard, 0), func(a string) { addrs <- a })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("stand-in shutdown: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("stand-in did not stop within 30s")
		}
	})
	select {
	case a := <-addrs:
		return "http://" + a + "/api/v1"
	case err := <-done:
		t.Fatalf("stand-in did not start: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("stand-in did not start within 30s")
	}
	return ""
}

// frontDoor is what serves the public API in a journey.
type frontDoor struct {
	name string
	api  string // base URL, ".../api/v1"
	// edgeBodies: errors the front door raises itself (401, 403) carry the
	// services' JSON error shape (the stand-in's do; KrakenD's have no body).
	edgeBodies bool
	// servedBy tells whether a response came through this front door.
	servedBy func(http.Header) bool
}

// TestShoppingThroughThePublicAPI: the shopping journey through the public
// API only, as the storefront uses it, once through shipshape's gateway
// (the development krakend.json, as `make run` serves it) and once through
// the stand-in: every call goes through the front door, none to a service
// directly.
func TestShoppingThroughThePublicAPI(t *testing.T) {
	s := startSystem(t)
	doors := []frontDoor{
		{name: "gateway", api: startGateway(t, s), servedBy: func(h http.Header) bool { return h.Get("X-Krakend") != "" }},
		{name: "stand-in", api: startStandin(t, s), edgeBodies: true,
			servedBy: func(h http.Header) bool { return h.Get(standin.MarkerHeader) == standin.MarkerValue }},
	}
	for _, door := range doors {
		t.Run(door.name, func(t *testing.T) { shop(t, s, door) })
	}
}

// shop is the journey of one new customer through door, ending with an
// admin shipping the order.
func shop(t *testing.T, s *system, door frontDoor) {
	api, email := door.api, door.name+"@example.com"
	status, user := stacktest.Call(t, "POST", api+"/auth/signup", fmt.Sprintf(`{"email":%q,"password":"correct horse battery staple","name":"Edge"}`, email), nil)
	if status != 201 || user["email"] != email {
		t.Fatalf("sign-up: %d %v", status, user)
	}
	signIn := fmt.Sprintf(`{"email":%q,"password":"correct horse battery staple"}`, email)
	status, tokens := stacktest.Call(t, "POST", api+"/auth/signin", signIn, nil)
	if status != 200 || tokens["accessToken"] == nil {
		t.Fatalf("sign-in: %d %v", status, tokens)
	}
	me := stacktest.Bearer(tokens["accessToken"].(string))
	if status, body := stacktest.Call(t, "GET", api+"/me", "", me); status != 200 || body["email"] != email {
		t.Fatalf("me: %d %v", status, body)
	}

	// Browse as anyone.
	status, cats := stacktest.Call(t, "GET", api+"/categories", "", nil)
	if status != 200 || len(cats["categories"].([]any)) < 4 {
		t.Fatalf("categories: %d %v", status, cats)
	}
	status, lighting := stacktest.Call(t, "GET", api+"/products?category=lighting&pageSize=2", "", nil)
	if status != 200 || len(lighting["products"].([]any)) != 2 {
		t.Fatalf("category listing: %d %v", status, lighting)
	}
	lantern := lighting["products"].([]any)[0].(map[string]any)
	status, product := stacktest.Call(t, "GET", api+"/products/"+lantern["slug"].(string), "", nil)
	if status != 200 || product["id"] != lantern["id"] {
		t.Fatalf("product: %d %v", status, product)
	}
	status, found := stacktest.Call(t, "GET", api+"/search?q=kettle", "", nil)
	if status != 200 || len(found["products"].([]any)) == 0 {
		t.Fatalf("search: %d %v", status, found)
	}
	kettle := found["products"].([]any)[0].(map[string]any)
	getImage(t, door, api+"/images/"+lantern["slug"].(string)+".svg")

	// The storefront's home page in one call.
	status, home := stacktest.Call(t, "GET", api+"/storefront/home", "", nil)
	featured, _ := home["featured"].(map[string]any)
	categories, _ := home["categories"].(map[string]any)
	if status != 200 || featured == nil || len(featured["products"].([]any)) == 0 || len(featured["products"].([]any)) > 8 ||
		categories == nil || len(categories["categories"].([]any)) != len(cats["categories"].([]any)) {
		t.Fatalf("home: %d %v", status, home)
	}

	// The cart needs a token at the edge.
	if status, body := stacktest.Call(t, "GET", api+"/cart", "", nil); status != 401 || door.edgeBodies && body["code"] != "UNAUTHENTICATED" {
		t.Fatalf("cart without a token: %d %v, want 401", status, body)
	}
	for _, p := range []map[string]any{lantern, kettle} {
		if status, body := stacktest.Call(t, "POST", api+"/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":1}`, p["id"]), me); status != 200 {
			t.Fatalf("add %s: %d %v", p["slug"], status, body)
		}
	}
	status, cart := stacktest.Call(t, "PATCH", api+"/cart/items/"+lantern["id"].(string), `{"quantity":3}`, me)
	if status != 200 || cart["itemCount"].(float64) != 4 {
		t.Fatalf("change quantity: %d %v", status, cart)
	}

	// Check out; a retry with the same key is the same order.
	key := uuid.NewString()
	status, order := stacktest.Call(t, "POST", api+"/orders", card, me.With("Idempotency-Key", key))
	if status != 201 || order["status"] != "ORDER_STATUS_PAID" || len(order["lines"].([]any)) != 2 {
		t.Fatalf("checkout: %d %v", status, order)
	}
	if status, again := stacktest.Call(t, "POST", api+"/orders", card, me.With("Idempotency-Key", key)); status/100 != 2 || again["id"] != order["id"] {
		t.Fatalf("checkout retry: %d %v, want order %v", status, again, order["id"])
	}
	status, history := stacktest.Call(t, "GET", api+"/orders?pageSize=10", "", me)
	if status != 200 || len(history["orders"].([]any)) != 1 || history["orders"].([]any)[0].(map[string]any)["id"] != order["id"] {
		t.Fatalf("history: %d %v", status, history)
	}
	if status, got := stacktest.Call(t, "GET", api+"/orders/"+order["id"].(string), "", me); status != 200 || got["id"] != order["id"] {
		t.Fatalf("order: %d %v", status, got)
	}

	// Admin routes: a customer is refused at the edge; an admin ships.
	ship := `{"status":"ORDER_STATUS_SHIPPED"}`
	if status, body := stacktest.Call(t, "PATCH", api+"/admin/orders/"+order["id"].(string), ship, me); status != 403 || door.edgeBodies && body["code"] != "PERMISSION_DENIED" {
		t.Fatalf("customer on an admin route: %d %v, want 403", status, body)
	}
	t.Setenv("DATABASE_URL", s.identityDB)
	if code := cli.Main("identity", []string{"grant-admin", email}, io.Discard, identityapp.Commands()...); code != 0 {
		t.Fatalf("grant-admin exited %d", code)
	}
	_, tokens = stacktest.Call(t, "POST", api+"/auth/signin", signIn, nil)
	status, shipped := stacktest.Call(t, "PATCH", api+"/admin/orders/"+order["id"].(string), ship, stacktest.Bearer(tokens["accessToken"].(string)))
	if status != 200 || shipped["status"] != "ORDER_STATUS_SHIPPED" {
		t.Fatalf("admin ships: %d %v", status, shipped)
	}
}

// getImage fetches a product image through door.
func getImage(t *testing.T, door frontDoor, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || len(body) == 0 || !door.servedBy(resp.Header) {
		t.Fatalf("image: %d %q %d bytes, headers %v", resp.StatusCode, resp.Header.Get("Content-Type"), len(body), resp.Header)
	}
}
