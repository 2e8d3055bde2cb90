package grpcapi_test

import (
	"context"
	"log/slog"
	"os"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/grpc/metadata"

	ordersv1 "github.com/shipshape-dev/shipshape/api/orders/v1"
	"github.com/shipshape-dev/shipshape/internal/orders/grpcapi"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("orders", migrations.FS)

// newServer is the gRPC service over the real use cases and an orders
// database holding one paid order of alice's, whose id it returns. Cart
// and catalog are absent: no test here gets as far as needing them.
func newServer(t *testing.T) (*grpcapi.Server, string) {
	t.Helper()
	pool := migrated.NewPool(t)
	checkoutID, orderID := uuid.NewString(), uuid.NewString()
	_, err := pool.Exec(t.Context(), `
		WITH c AS (INSERT INTO checkouts (id, user_id, idempotency_key, request_hash, status, reservation_id, cart_version, items, order_id)
			VALUES ($1, 'alice', 'k1', 'h', 'completed', gen_random_uuid(), 1, '[]', $2)),
		o AS (INSERT INTO orders (id, user_id, checkout_id, status, total_minor, currency, card_last4, payment_id, payment_key, reservation_id)
			VALUES ($2, 'alice', $1, 'paid', 6580, 'EUR', '4242', 'ch_1', $1 || '/1', gen_random_uuid()))
		INSERT INTO order_lines (order_id, product_id, slug, name, unit_price_minor, quantity, line_total_minor)
			VALUES ($2, gen_random_uuid(), 'storm-lantern', 'Storm Lantern', 3290, 2, 6580)`, checkoutID, orderID)
	if err != nil {
		t.Fatal(err)
	}
	return grpcapi.New(&usecase.Service{Store: store.New(pool), Log: slog.New(slog.DiscardHandler)}), orderID
}

func as(ctx context.Context, subject string, roles ...string) context.Context {
	return auth.NewContext(ctx, auth.Principal{Subject: subject, Roles: roles})
}

func wantError(t *testing.T, err error, kind apperr.Kind, field string) {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Kind != kind || (field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != field)) {
		t.Fatalf("error %v, want kind %d naming %q", err, kind, field)
	}
}

func TestEveryMethodNeedsAnAuthenticatedCaller(t *testing.T) {
	srv, id := newServer(t)
	ctx := t.Context()
	_, err := srv.PlaceOrder(ctx, &ordersv1.PlaceOrderRequest{})
	wantError(t, err, apperr.KindUnauthenticated, "")
	_, err = srv.ListOrders(ctx, &ordersv1.ListOrdersRequest{})
	wantError(t, err, apperr.KindUnauthenticated, "")
	_, err = srv.GetOrder(ctx, &ordersv1.GetOrderRequest{Id: id})
	wantError(t, err, apperr.KindUnauthenticated, "")
	_, err = srv.UpdateOrderStatus(ctx, &ordersv1.UpdateOrderStatusRequest{Id: id, Status: ordersv1.OrderStatus_ORDER_STATUS_SHIPPED})
	wantError(t, err, apperr.KindUnauthenticated, "")
}

func TestOrdersAreVisibleOnlyToTheirOwner(t *testing.T) {
	srv, id := newServer(t)
	got, err := srv.GetOrder(as(t.Context(), "alice", auth.RoleCustomer), &ordersv1.GetOrderRequest{Id: id})
	if err != nil || got.GetOrder().GetId() != id || got.GetOrder().GetLines()[0].GetLineTotal().GetAmountMinor() != 6580 {
		t.Fatalf("alice's own order: %v, %v", got, err)
	}
	// Another user, an admin included, learns nothing: NotFound, as for an
	// id that does not exist.
	for _, who := range []context.Context{as(t.Context(), "bob", auth.RoleCustomer), as(t.Context(), "root", auth.RoleAdmin)} {
		_, err := srv.GetOrder(who, &ordersv1.GetOrderRequest{Id: id})
		wantError(t, err, apperr.KindNotFound, "")
	}
	_, err = srv.GetOrder(as(t.Context(), "alice"), &ordersv1.GetOrderRequest{Id: uuid.NewString()})
	wantError(t, err, apperr.KindNotFound, "")
	list, err := srv.ListOrders(as(t.Context(), "bob"), &ordersv1.ListOrdersRequest{})
	if err != nil || len(list.GetOrders()) != 0 {
		t.Fatalf("bob's history: %v, %v", list, err)
	}
	list, err = srv.ListOrders(as(t.Context(), "alice"), &ordersv1.ListOrdersRequest{PageSize: 1})
	if err != nil || len(list.GetOrders()) != 1 || list.GetNextPageToken() != "" {
		t.Fatalf("alice's history: %v, %v", list, err)
	}
}

func TestRequestsAreValidatedAtTheEdge(t *testing.T) {
	srv, id := newServer(t)
	alice := as(t.Context(), "alice", auth.RoleCustomer)
	_, err := srv.GetOrder(alice, &ordersv1.GetOrderRequest{Id: "nope"})
	wantError(t, err, apperr.KindInvalidArgument, "id")
	_, err = srv.ListOrders(alice, &ordersv1.ListOrdersRequest{PageSize: 101})
	wantError(t, err, apperr.KindInvalidArgument, "pageSize")
	_, err = srv.ListOrders(alice, &ordersv1.ListOrdersRequest{PageToken: "forged"})
	wantError(t, err, apperr.KindInvalidArgument, "pageToken")
	_, err = srv.PlaceOrder(alice, &ordersv1.PlaceOrderRequest{Card: &ordersv1.PaymentCard{Number: "4242424242424242", ExpMonth: 12, ExpYear: 2099, Cvc: "123"}})
	wantError(t, err, apperr.KindInvalidArgument, "Idempotency-Key")
	withKey := metadata.NewIncomingContext(alice, metadata.Pairs(listeners.IdempotencyKeyMetadata, "k2"))
	_, err = srv.PlaceOrder(withKey, &ordersv1.PlaceOrderRequest{Card: &ordersv1.PaymentCard{Number: "4242424242424241", ExpMonth: 12, ExpYear: 2099, Cvc: "123"}})
	wantError(t, err, apperr.KindInvalidArgument, "card.number")
	_, err = srv.UpdateOrderStatus(alice, &ordersv1.UpdateOrderStatusRequest{Id: id, Status: ordersv1.OrderStatus_ORDER_STATUS_SHIPPED})
	wantError(t, err, apperr.KindPermissionDenied, "")
}

func TestAdminsMoveOrdersAlong(t *testing.T) {
	srv, id := newServer(t)
	admin := as(t.Context(), "root", auth.RoleAdmin)
	_, err := srv.UpdateOrderStatus(admin, &ordersv1.UpdateOrderStatusRequest{Id: id, Status: ordersv1.OrderStatus_ORDER_STATUS_PAID})
	wantError(t, err, apperr.KindInvalidArgument, "status")
	_, err = srv.UpdateOrderStatus(admin, &ordersv1.UpdateOrderStatusRequest{Id: "nope", Status: ordersv1.OrderStatus_ORDER_STATUS_SHIPPED})
	wantError(t, err, apperr.KindInvalidArgument, "id")
	got, err := srv.UpdateOrderStatus(admin, &ordersv1.UpdateOrderStatusRequest{Id: id, Status: ordersv1.OrderStatus_ORDER_STATUS_SHIPPED})
	if err != nil || got.GetOrder().GetStatus() != ordersv1.OrderStatus_ORDER_STATUS_SHIPPED {
		t.Fatalf("ship: %v, %v", got, err)
	}
}
