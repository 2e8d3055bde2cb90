package app_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestCheckoutPlacesAnOrderAndClearsTheCart(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "alice")
	s.addToCart(t, c, lantern, 2)
	s.addToCart(t, c, kettle, 1)
	before := s.stock(t, lantern)

	status, order := s.checkout(t, c, uuid.NewString(), validCard)
	if status != 201 || order["status"] != "ORDER_STATUS_PAID" || len(order["lines"].([]any)) != 2 {
		t.Fatalf("checkout: %d %v", status, order)
	}
	total := order["total"].(map[string]any)
	if total["amountMinor"] != "10070" || total["currencyCode"] != "EUR" || order["cardLast4"] != "4242" {
		t.Fatalf("total %v, card %v; want 2 x 32.90 + 34.90 = 100.70 EUR on 4242", total, order["cardLast4"])
	}
	if got := s.stock(t, lantern); got != before-2 {
		t.Fatalf("lantern stock %d, want %d", got, before-2)
	}
	if n := s.cartItems(t, c); n != 0 {
		t.Fatalf("cart still has %d lines", n)
	}
	if s.count(t, `SELECT count(*) FROM orders WHERE reservation_confirmed`) != 1 {
		t.Fatal("the reservation was not confirmed")
	}
	status, list := stacktest.Call(t, "GET", s.orders.REST+"/v1/orders", "", c.header)
	if status != 200 || len(list["orders"].([]any)) != 1 || list["orders"].([]any)[0].(map[string]any)["id"] != order["id"] {
		t.Fatalf("history: %d %v", status, list)
	}
	status, got := stacktest.Call(t, "GET", s.orders.REST+"/v1/orders/"+order["id"].(string), "", c.header)
	if status != 200 || got["id"] != order["id"] {
		t.Fatalf("detail: %d %v", status, got)
	}
}

func TestSameIdempotencyKeyTwentyTimesConcurrentlyGivesOneOrderAndOneCharge(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "bob")
	s.addToCart(t, c, lantern, 1)
	key := uuid.NewString()
	ids := make([]string, 20)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			status, order := s.checkout(t, c, key, validCard)
			if status != 201 {
				t.Errorf("request %d: %d %v", i, status, order)
				return
			}
			ids[i] = order["id"].(string)
		})
	}
	wg.Wait()
	for i, id := range ids {
		if id == "" || id != ids[0] {
			t.Fatalf("response %d carried order %q, response 0 %q", i, id, ids[0])
		}
	}
	if n := s.count(t, `SELECT count(*) FROM orders`); n != 1 {
		t.Fatalf("%d orders, want 1", n)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments`); n != 1 {
		t.Fatalf("%d charges, want 1", n)
	}
}

func TestHundredConcurrentCheckoutsForStockTenGiveTenOrders(t *testing.T) {
	s := startShop(t, nil)
	s.setStock(t, lantern, 10)
	customers := make([]customer, 100)
	for i := range customers {
		customers[i] = s.customer(t, fmt.Sprintf("buyer-%03d", i))
		s.addToCart(t, customers[i], lantern, 1)
	}
	var mu sync.Mutex
	outcomes := map[int]int{}
	var wg sync.WaitGroup
	for _, c := range customers {
		wg.Go(func() {
			status, body := s.checkout(t, c, uuid.NewString(), validCard)
			mu.Lock()
			outcomes[status]++
			mu.Unlock()
			if status != 201 && (status != 400 || body["code"] != "FAILED_PRECONDITION") {
				t.Errorf("unexpected outcome %d %v", status, body)
			}
		})
	}
	wg.Wait()
	if outcomes[201] != 10 || outcomes[400] != 90 {
		t.Fatalf("outcomes %v, want 10 orders and 90 refusals", outcomes)
	}
	if n := s.count(t, `SELECT count(*) FROM orders`); n != 10 {
		t.Fatalf("%d orders, want 10", n)
	}
	if got := s.stock(t, lantern); got != 0 {
		t.Fatalf("stock %d, want 0", got)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments`); n != 10 {
		t.Fatalf("%d charges, want 10 (refused checkouts must not charge)", n)
	}
}

func TestDeclinedPaymentLeavesNoOrderReleasesStockKeepsCart(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "carol")
	s.addToCart(t, c, lantern, 3)
	before := s.stock(t, lantern)
	for _, card := range []string{payment.CardDeclined, payment.CardInsufficientFunds} {
		key := uuid.NewString()
		status, body := s.checkout(t, c, key, cardBody(card))
		if status != 400 || body["code"] != "FAILED_PRECONDITION" || stacktest.Field(body) != "card" {
			t.Fatalf("declined card %s: %d %v", card, status, body)
		}
		// A replay of the same key returns the same decline, charging nothing.
		if status, again := s.checkout(t, c, key, cardBody(card)); status != 400 || again["message"] != body["message"] {
			t.Fatalf("replay: %d %v", status, again)
		}
	}
	if n := s.count(t, `SELECT count(*) FROM orders`); n != 0 {
		t.Fatalf("%d orders after declines", n)
	}
	if n := s.count(t, `SELECT count(*) FROM simulated_payments`); n != 0 {
		t.Fatalf("%d charges after declines", n)
	}
	if got := s.stock(t, lantern); got != before {
		t.Fatalf("stock %d, want %d (released)", got, before)
	}
	if n := s.cartItems(t, c); n != 1 {
		t.Fatalf("cart has %d lines, want it intact", n)
	}
	// The same cart then goes through with a good card and a new key.
	if status, body := s.checkout(t, c, uuid.NewString(), validCard); status != 201 {
		t.Fatalf("retry with a good card: %d %v", status, body)
	}
}

func TestProviderErrorRefundsAndAbortsSoTheKeyCanRetry(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "dave")
	s.addToCart(t, c, lantern, 1)
	before := s.stock(t, lantern)
	status, body := s.checkout(t, c, uuid.NewString(), cardBody(payment.CardProcessingError))
	if status != 503 || body["code"] != "UNAVAILABLE" {
		t.Fatalf("provider error: %d %v", status, body)
	}
	if got := s.stock(t, lantern); got != before {
		t.Fatalf("stock %d, want %d", got, before)
	}
	if n := s.count(t, `SELECT count(*) FROM checkouts WHERE status = 'aborted'`); n != 1 {
		t.Fatalf("%d aborted checkouts, want 1", n)
	}
}

func TestCheckoutBadInputWritesNothing(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "erin")
	empty := s.customer(t, "frank")
	s.addToCart(t, c, lantern, 1)
	cases := []struct {
		name, key, body string
		who             customer
		status          int
		field           string
	}{
		{"missing Idempotency-Key", "", validCard, c, 400, "Idempotency-Key"},
		{"empty cart", uuid.NewString(), validCard, empty, 400, "cart"},
		{"no card", uuid.NewString(), `{}`, c, 400, "card.number"},
		{"card fails the Luhn check", uuid.NewString(), cardBody("4242424242424241"), c, 400, "card.number"},
		{"letters in the card number", uuid.NewString(), cardBody("4242abcd42424242"), c, 400, "card.number"},
		{"expired card", uuid.NewString(), `{"card":{"number":"4242424242424242","expMonth":1,"expYear":2020,"cvc":"123"}}`, c, 400, "card.expYear"},
		{"malformed JSON", uuid.NewString(), `{"card":`, c, 400, "body"},
		{"unknown field", uuid.NewString(), `{"coupon":"FREE"}`, c, 400, "coupon"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := s.checkout(t, tc.who, tc.key, tc.body)
			if status != tc.status || stacktest.Field(body) != tc.field {
				t.Fatalf("got %d %v, want %d naming %s", status, body, tc.status, tc.field)
			}
		})
	}
	for _, table := range []string{"checkouts", "orders", "simulated_payments"} {
		if n := s.count(t, `SELECT count(*) FROM `+table); n != 0 {
			t.Fatalf("%d rows in %s after bad input", n, table)
		}
	}
	if status, _ := stacktest.Call(t, "POST", s.orders.REST+"/v1/orders", validCard, stacktest.Header{"Idempotency-Key": "k"}); status != 401 {
		t.Fatalf("no token: %d, want 401", status)
	}
}

func TestIdempotencyKeyReusedWithAnotherCardIsRefused(t *testing.T) {
	s := startShop(t, nil)
	c := s.customer(t, "gina")
	s.addToCart(t, c, lantern, 1)
	key := uuid.NewString()
	if status, body := s.checkout(t, c, key, validCard); status != 201 {
		t.Fatalf("first: %d %v", status, body)
	}
	status, body := s.checkout(t, c, key, cardBody("5555555555554444"))
	if status != 400 || stacktest.Field(body) != "Idempotency-Key" {
		t.Fatalf("reuse with another card: %d %v", status, body)
	}
}
