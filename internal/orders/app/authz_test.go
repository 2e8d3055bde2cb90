package app_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestOtherUsersOrdersAreInvisibleAndAdminRoutesNeedTheRole(t *testing.T) {
	s := startShop(t, nil)
	alice, bob := s.customer(t, "alice"), s.customer(t, "bob")
	s.addToCart(t, alice, lantern, 1)
	status, order := s.checkout(t, alice, uuid.NewString(), validCard)
	if status != 201 {
		t.Fatalf("checkout: %d %v", status, order)
	}
	id := order["id"].(string)

	if status, body := stacktest.Call(t, "GET", s.orders.REST+"/v1/orders/"+id, "", bob.header); status != 404 || body["code"] != "NOT_FOUND" {
		t.Fatalf("bob reading alice's order: %d %v, want 404", status, body)
	}
	if status, body := stacktest.Call(t, "GET", s.orders.REST+"/v1/orders", "", bob.header); status != 200 || len(body["orders"].([]any)) != 0 {
		t.Fatalf("bob's history: %d %v, want empty", status, body)
	}
	// The same key from another user is another checkout (keys are per user).
	s.addToCart(t, bob, lantern, 1)
	if status, body := s.checkout(t, bob, "shared-key", validCard); status != 201 || body["id"] == id {
		t.Fatalf("bob's checkout: %d %v", status, body)
	}
	for _, who := range []stacktest.Header{alice.header, bob.header} {
		status, body := stacktest.Call(t, "PATCH", s.orders.REST+"/v1/admin/orders/"+id, `{"status":"ORDER_STATUS_SHIPPED"}`, who)
		if status != 403 || body["code"] != "PERMISSION_DENIED" {
			t.Fatalf("customer on the admin route: %d %v, want 403", status, body)
		}
	}
	for _, route := range [][2]string{{"GET", "/v1/orders"}, {"GET", "/v1/orders/" + id}, {"POST", "/v1/orders"}, {"PATCH", "/v1/admin/orders/" + id}} {
		body := ""
		if route[0] != "GET" {
			body = "{}"
		}
		if status, _ := stacktest.Call(t, route[0], s.orders.REST+route[1], body, nil); status != 401 {
			t.Fatalf("%s %s without a token: %d, want 401", route[0], route[1], status)
		}
		if status, _ := stacktest.Call(t, route[0], s.orders.REST+route[1], body, stacktest.Bearer("not.a.token")); status != 401 {
			t.Fatalf("%s %s with a garbage token: %d, want 401", route[0], route[1], status)
		}
	}
}

func TestAdminMovesOrdersAlongAndCancelRefundsAndRestocks(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "hana")
	admin := s.admin(t)
	place := func() string {
		s.addToCart(t, c, lantern, 2)
		status, order := s.checkout(t, c, uuid.NewString(), validCard)
		if status != 201 {
			t.Fatalf("checkout: %d %v", status, order)
		}
		return order["id"].(string)
	}
	patch := func(id, status string) (int, map[string]any) {
		return stacktest.Call(t, "PATCH", s.orders.REST+"/v1/admin/orders/"+id, `{"status":"`+status+`"}`, admin)
	}

	shipped := place()
	for _, step := range []string{"ORDER_STATUS_SHIPPED", "ORDER_STATUS_DELIVERED"} {
		if status, body := patch(shipped, step); status != 200 || body["status"] != step {
			t.Fatalf("%s: %d %v", step, status, body)
		}
	}
	if status, body := patch(shipped, "ORDER_STATUS_CANCELLED"); status != 400 || stacktest.Field(body) != "status" {
		t.Fatalf("cancelling a delivered order: %d %v, want 400 naming status", status, body)
	}
	if status, body := patch(shipped, "ORDER_STATUS_PAID"); status != 400 || stacktest.Field(body) != "status" {
		t.Fatalf("setting paid: %d %v, want 400 naming status", status, body)
	}

	before := s.stock(t, lantern)
	cancelled := place()
	if status, body := patch(cancelled, "ORDER_STATUS_CANCELLED"); status != 200 || body["status"] != "ORDER_STATUS_CANCELLED" {
		t.Fatalf("cancel: %d %v", status, body)
	}
	if got := s.stock(t, lantern); got != before {
		t.Fatalf("stock %d after cancel, want %d", got, before)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments WHERE status = 'refunded'`); n != 1 {
		t.Fatalf("%d refunds, want 1", n)
	}
	if status, _ := patch(uuid.NewString(), "ORDER_STATUS_SHIPPED"); status != 404 {
		t.Fatalf("unknown order: %d, want 404", status)
	}
	if status, body := patch("nope", "ORDER_STATUS_SHIPPED"); status != 400 || stacktest.Field(body) != "id" {
		t.Fatalf("malformed id: %d %v", status, body)
	}
}

func TestOrderHistoryPages(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "ivan")
	for range 5 {
		s.addToCart(t, c, kettle, 1)
		if status, body := s.checkout(t, c, uuid.NewString(), validCard); status != 201 {
			t.Fatalf("checkout: %d %v", status, body)
		}
	}
	seen := map[string]bool{}
	url := s.orders.REST + "/v1/orders?pageSize=2"
	for pages := 1; ; pages++ {
		status, body := stacktest.Call(t, "GET", url, "", c.header)
		if status != 200 || pages > 3 {
			t.Fatalf("page %d: %d %v", pages, status, body)
		}
		for _, o := range body["orders"].([]any) {
			seen[o.(map[string]any)["id"].(string)] = true
		}
		next, _ := body["nextPageToken"].(string)
		if next == "" {
			break
		}
		url = s.orders.REST + "/v1/orders?pageSize=2&pageToken=" + next
	}
	if len(seen) != 5 {
		t.Fatalf("paged through %d distinct orders, want 5", len(seen))
	}
	if status, body := stacktest.Call(t, "GET", s.orders.REST+"/v1/orders?pageToken=garbage", "", c.header); status != 400 || stacktest.Field(body) != "pageToken" {
		t.Fatalf("forged token: %d %v", status, body)
	}
}
