package app_test

import (
	"context"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestGRPCAddGetUpdateRemoveClear(t *testing.T) {
	s := start(t, nil)
	ctx := s.as(t, "alice")

	add, err := s.cart.AddItem(ctx, &cartv1.AddItemRequest{ProductId: lantern, Quantity: 2})
	if err != nil {
		t.Fatal(err)
	}
	if c := add.GetCart(); c.GetVersion() != 1 || c.GetSubtotal().GetAmountMinor() != 6580 || c.GetItems()[0].GetName() != "Storm Lantern" {
		t.Fatalf("add: %v", c)
	}
	if _, err := s.cart.AddItem(ctx, &cartv1.AddItemRequest{ProductId: jacket, Quantity: 1}); err != nil {
		t.Fatal(err)
	}
	up, err := s.cart.UpdateItem(ctx, &cartv1.UpdateItemRequest{ProductId: lantern, Quantity: 4})
	if err != nil || up.GetCart().GetItems()[0].GetQuantity() != 4 || up.GetCart().GetItemCount() != 5 {
		t.Fatalf("update: %v %v", up, err)
	}
	rm, err := s.cart.RemoveItem(ctx, &cartv1.RemoveItemRequest{ProductId: lantern})
	if err != nil || len(rm.GetCart().GetItems()) != 1 || rm.GetCart().GetItems()[0].GetProductId() != jacket {
		t.Fatalf("remove: %v %v", rm, err)
	}
	got, err := s.cart.GetCart(ctx, &cartv1.GetCartRequest{})
	if err != nil || got.GetCart().GetVersion() != 4 || got.GetCart().GetSubtotal().GetAmountMinor() != 32900 {
		t.Fatalf("get: %v %v", got, err)
	}

	stale, err := s.cart.ClearCart(ctx, &cartv1.ClearCartRequest{IfVersion: 3})
	if err != nil || stale.GetCleared() || len(stale.GetCart().GetItems()) != 1 || stale.GetCart().GetVersion() != 4 {
		t.Fatalf("stale clear: %v %v", stale, err)
	}
	cleared, err := s.cart.ClearCart(ctx, &cartv1.ClearCartRequest{IfVersion: 4})
	if err != nil || !cleared.GetCleared() || len(cleared.GetCart().GetItems()) != 0 || cleared.GetCart().GetVersion() != 5 {
		t.Fatalf("clear: %v %v", cleared, err)
	}
}

func TestGRPCNeedsAValidToken(t *testing.T) {
	s := start(t, nil)
	for name, ctx := range map[string]context.Context{
		"no token": t.Context(),
		"garbage":  metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer garbage"),
		"basic":    metadata.AppendToOutgoingContext(t.Context(), "authorization", "Basic YTpi"),
	} {
		calls := map[string]func() error{
			"GetCart": func() error { _, err := s.cart.GetCart(ctx, &cartv1.GetCartRequest{}); return err },
			"AddItem": func() error {
				_, err := s.cart.AddItem(ctx, &cartv1.AddItemRequest{ProductId: lantern, Quantity: 1})
				return err
			},
			"UpdateItem": func() error {
				_, err := s.cart.UpdateItem(ctx, &cartv1.UpdateItemRequest{ProductId: lantern, Quantity: 1})
				return err
			},
			"RemoveItem": func() error {
				_, err := s.cart.RemoveItem(ctx, &cartv1.RemoveItemRequest{ProductId: lantern})
				return err
			},
			"ClearCart": func() error { _, err := s.cart.ClearCart(ctx, &cartv1.ClearCartRequest{}); return err },
		}
		for method, call := range calls {
			if err := call(); status.Code(err) != codes.Unauthenticated {
				t.Errorf("%s %s: %v, want Unauthenticated", name, method, err)
			}
		}
	}
}

func TestGRPCErrorsNameTheField(t *testing.T) {
	s := start(t, nil)
	ctx := s.as(t, "alice")
	s.setStock(t, torch, 0)
	cases := []struct {
		name  string
		req   *cartv1.AddItemRequest
		code  codes.Code
		field string
	}{
		{"zero", &cartv1.AddItemRequest{ProductId: lantern}, codes.InvalidArgument, "quantity"},
		{"malformed id", &cartv1.AddItemRequest{ProductId: "lantern", Quantity: 1}, codes.InvalidArgument, "productId"},
		{"unknown product", &cartv1.AddItemRequest{ProductId: "00000000-0000-4000-8000-000000000000", Quantity: 1}, codes.NotFound, "productId"},
		{"out of stock", &cartv1.AddItemRequest{ProductId: torch, Quantity: 1}, codes.FailedPrecondition, "productId"},
		{"more than in stock", &cartv1.AddItemRequest{ProductId: jacket, Quantity: 9}, codes.FailedPrecondition, "quantity"},
	}
	for _, tc := range cases {
		_, err := s.cart.AddItem(ctx, tc.req)
		st := status.Convert(err)
		fields := apperr.FieldsOf(st)
		if st.Code() != tc.code || len(fields) == 0 || fields[0].Field != tc.field {
			t.Errorf("%s: %v %v, want %v naming %s", tc.name, st.Code(), fields, tc.code, tc.field)
		}
	}
	if v, _ := s.stored(t, "alice"); v != 0 {
		t.Fatalf("refused adds left version %d", v)
	}
}

// Ten concurrent +1 of one product by one user: every add counts, none is
// lost, and each is its own version.
func TestGRPCConcurrentAddsOfOneProduct(t *testing.T) {
	s := start(t, nil)
	ctx := s.as(t, "alice")
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := s.cart.AddItem(ctx, &cartv1.AddItemRequest{ProductId: lantern, Quantity: 1}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.cart.GetCart(ctx, &cartv1.GetCartRequest{})
	if err != nil {
		t.Fatal(err)
	}
	c := got.GetCart()
	if len(c.GetItems()) != 1 || c.GetItems()[0].GetQuantity() != 10 || c.GetVersion() != 10 || c.GetItemCount() != 10 {
		t.Fatalf("cart = %v, want one line of 10 at version 10", c)
	}
}

func TestGRPCCartHoldsAtMostFiftyProducts(t *testing.T) {
	s := start(t, nil)
	// The demo catalog has 30 products; add 25 more behind catalog's back.
	exec(t, s.catalogDBURL, `INSERT INTO products (id, slug, name, price_minor, currency, category_id, stock)
		SELECT gen_random_uuid(), 'extra-' || g, 'Extra ' || g, 100, 'EUR', (SELECT id FROM categories LIMIT 1), 5
		FROM generate_series(1, 25) g`)
	ids := productIDs(t, s)
	if len(ids) < 51 {
		t.Fatalf("only %d products", len(ids))
	}
	ctx := s.as(t, "alice")
	for _, id := range ids[:50] {
		if _, err := s.cart.AddItem(ctx, &cartv1.AddItemRequest{ProductId: id, Quantity: 1}); err != nil {
			t.Fatalf("add %s: %v", id, err)
		}
	}
	_, err := s.cart.AddItem(ctx, &cartv1.AddItemRequest{ProductId: ids[50], Quantity: 1})
	st := status.Convert(err)
	if st.Code() != codes.FailedPrecondition || len(apperr.FieldsOf(st)) == 0 || apperr.FieldsOf(st)[0].Field != "productId" {
		t.Fatalf("51st product: %v", err)
	}
	// More of a product already there still fits.
	if _, err := s.cart.AddItem(ctx, &cartv1.AddItemRequest{ProductId: ids[0], Quantity: 1}); err != nil {
		t.Fatalf("more of a line in a full cart: %v", err)
	}
	got, err := s.cart.GetCart(ctx, &cartv1.GetCartRequest{})
	if err != nil || len(got.GetCart().GetItems()) != 50 || got.GetCart().GetVersion() != 51 || got.GetCart().GetItemCount() != 51 {
		t.Fatalf("full cart: %d items, version %d, %v", len(got.GetCart().GetItems()), got.GetCart().GetVersion(), err)
	}
}

// productIDs lists catalog's products that are in stock.
func productIDs(t *testing.T, s *system) []string {
	t.Helper()
	conn := connect(t, s.catalogDBURL)
	rows, err := conn.Query(t.Context(), `SELECT id::text FROM products WHERE stock > 0 ORDER BY slug`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}
