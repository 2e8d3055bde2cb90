package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// stockCalls are the three stock methods against one reservation id.
func stockCalls(c catalogv1.CatalogServiceClient, id string) map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"ReserveStock": func(ctx context.Context) error {
			_, err := c.ReserveStock(ctx, &catalogv1.ReserveStockRequest{ReservationId: id,
				Items: []*catalogv1.StockItem{{ProductId: lantern, Quantity: 1}}})
			return err
		},
		"ConfirmReservation": func(ctx context.Context) error {
			_, err := c.ConfirmReservation(ctx, &catalogv1.ConfirmReservationRequest{ReservationId: id})
			return err
		},
		"ReleaseStock": func(ctx context.Context) error {
			_, err := c.ReleaseStock(ctx, &catalogv1.ReleaseStockRequest{ReservationId: id})
			return err
		},
	}
}

// Only orders may change stock: cart's service token is refused
// (PermissionDenied), a call without one is refused (Unauthenticated), and
// so are user tokens, even an admin's, in either metadata key. Orders'
// token, obtained from a real identity, is accepted.
func TestStockMethodsAcceptOnlyOrders(t *testing.T) {
	c := startCatalog(t, nil)
	setStock(t, c, 10)
	asCart := catalogv1.NewCatalogServiceClient(dialAs(t, c.identity, "cart", c.conn.Target()))
	admin := c.identity.Token(t, "admin-1", auth.RoleAdmin)
	ordersToken := c.identity.ServiceToken(t, "orders")
	forger := identitytest.Start(t, "orders") // a valid-looking token from keys catalog does not trust
	id := uuid.NewString()

	// Each refusal says why: a token present but invalid is not the same as
	// none at all.
	refusals := []struct {
		name   string
		client catalogv1.CatalogServiceClient
		ctx    context.Context
		want   codes.Code
		says   string
	}{
		{"cart's service token", asCart, t.Context(), codes.PermissionDenied, "service cart may not call this method"},
		{"no token", c.client, t.Context(), codes.Unauthenticated, "a service token is required"},
		{"an admin's user token", c.client, metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer "+admin),
			codes.Unauthenticated, "a service token is required"},
		{"a user token as service token", c.client, metadata.AppendToOutgoingContext(t.Context(), servicetoken.MetadataKey, "Bearer "+admin),
			codes.Unauthenticated, "invalid service token"},
		{"orders' token as user token", c.client, metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer "+ordersToken),
			codes.Unauthenticated, "invalid token"},
		{"another identity's orders token", c.client,
			metadata.AppendToOutgoingContext(t.Context(), servicetoken.MetadataKey, "Bearer "+forger.ServiceToken(t, "orders")),
			codes.Unauthenticated, "invalid service token"},
	}
	for _, r := range refusals {
		for method, call := range stockCalls(r.client, id) {
			st := status.Convert(call(r.ctx))
			if st.Code() != r.want || !strings.Contains(st.Message(), r.says) {
				t.Errorf("%s, %s: got %v %q, want %v saying %q", r.name, method, st.Code(), st.Message(), r.want, r.says)
			}
		}
	}
	if got := stock(t, c); got != 10 {
		t.Fatalf("stock = %d after refused calls, want 10", got)
	}

	// Cart's token still serves the public lookups cart makes.
	if _, err := asCart.GetProduct(t.Context(), &catalogv1.GetProductRequest{IdOrSlug: lantern}); err != nil {
		t.Fatalf("cart's product lookup: %v", err)
	}
	orders := stockCalls(c.asOrders, id)
	for _, method := range []string{"ReserveStock", "ConfirmReservation"} {
		if err := orders[method](t.Context()); err != nil {
			t.Fatalf("orders %s: %v", method, err)
		}
	}
	if got := stock(t, c); got != 9 {
		t.Fatalf("stock = %d after orders reserved 1 of 10, want 9", got)
	}
	if err := orders["ReleaseStock"](t.Context()); err != nil {
		t.Fatalf("orders ReleaseStock: %v", err)
	}
	if got := stock(t, c); got != 10 {
		t.Fatalf("stock = %d after release, want 10", got)
	}
}

// A service token cannot stand in for a user: sent as a user's token it is
// refused as invalid, not treated as a caller without the role.
func TestServiceTokenIsNoUserToken(t *testing.T) {
	c := startCatalog(t, nil)
	ctx := metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer "+c.identity.ServiceToken(t, "orders"))
	_, err := c.client.CreateProduct(ctx, &catalogv1.CreateProductRequest{})
	if st := status.Convert(err); st.Code() != codes.Unauthenticated || st.Message() != "invalid token" {
		t.Fatalf("service token as a user's: %v %q, want Unauthenticated \"invalid token\"", st.Code(), st.Message())
	}
}
