// Package grpcapi adapts the orders use cases to the orders.v1 contract:
// caller identity, the idempotency key, validation and type conversion.
package grpcapi

import (
	"context"
	"encoding/base64"
	"strings"
	"time"

	"google.golang.org/grpc/metadata"

	ordersv1 "github.com/shipshape-dev/shipshape/api/orders/v1"
	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
)

// Server implements ordersv1.OrdersServiceServer.
type Server struct {
	ordersv1.UnimplementedOrdersServiceServer
	svc *usecase.Service
}

// New returns the gRPC service.
func New(svc *usecase.Service) *Server { return &Server{svc: svc} }

// PlaceOrder checks out the caller's cart.
func (s *Server) PlaceOrder(ctx context.Context, req *ordersv1.PlaceOrderRequest) (*ordersv1.PlaceOrderResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	c := req.GetCard()
	o, err := s.svc.Place(ctx, p.Subject, idempotencyKey(ctx),
		domain.Card{Number: c.GetNumber(), ExpMonth: c.GetExpMonth(), ExpYear: c.GetExpYear(), CVC: c.GetCvc()})
	if err != nil {
		return nil, err
	}
	return &ordersv1.PlaceOrderResponse{Order: toProto(o)}, nil
}

// ListOrders returns the caller's orders, newest first.
func (s *Server) ListOrders(ctx context.Context, req *ordersv1.ListOrdersRequest) (*ordersv1.ListOrdersResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	size, err := domain.PageSize(req.GetPageSize())
	if err != nil {
		return nil, err
	}
	cur, err := decodeCursor(req.GetPageToken())
	if err != nil {
		return nil, err
	}
	orders, more, err := s.svc.History(ctx, p.Subject, cur, size)
	if err != nil {
		return nil, err
	}
	resp := &ordersv1.ListOrdersResponse{}
	for _, o := range orders {
		resp.Orders = append(resp.Orders, toProto(o))
	}
	if more {
		last := orders[len(orders)-1]
		resp.NextPageToken = encodeCursor(domain.Cursor{CreatedAt: last.CreatedAt, ID: last.ID})
	}
	return resp, nil
}

// GetOrder returns one of the caller's orders; another user's is NotFound.
func (s *Server) GetOrder(ctx context.Context, req *ordersv1.GetOrderRequest) (*ordersv1.GetOrderResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := domain.RequireID("id", req.GetId()); err != nil {
		return nil, err
	}
	o, err := s.svc.Order(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	if err := auth.CheckOwner(p, o.UserID, "order", req.GetId()); err != nil {
		return nil, err
	}
	return &ordersv1.GetOrderResponse{Order: toProto(o)}, nil
}

// UpdateOrderStatus changes an order's status (admin role).
func (s *Server) UpdateOrderStatus(ctx context.Context, req *ordersv1.UpdateOrderStatusRequest) (*ordersv1.UpdateOrderStatusResponse, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	if err := domain.RequireID("id", req.GetId()); err != nil {
		return nil, err
	}
	to, ok := fromStatus[req.GetStatus()]
	if !ok {
		return nil, apperr.InvalidField("status", "must be ORDER_STATUS_SHIPPED, ORDER_STATUS_DELIVERED or ORDER_STATUS_CANCELLED")
	}
	o, err := s.svc.ChangeStatus(ctx, req.GetId(), to)
	if err != nil {
		return nil, err
	}
	return &ordersv1.UpdateOrderStatusResponse{Order: toProto(o)}, nil
}

func idempotencyKey(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get(listeners.IdempotencyKeyMetadata); len(v) > 0 {
		return v[0]
	}
	return ""
}

func encodeCursor(c domain.Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.CreatedAt.UTC().Format(time.RFC3339Nano) + "|" + c.ID))
}

func decodeCursor(token string) (domain.Cursor, error) {
	if token == "" {
		return domain.Cursor{}, nil
	}
	bad := apperr.InvalidField("pageToken", "is not a token from a previous page")
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return domain.Cursor{}, bad
	}
	ts, id, ok := strings.Cut(string(raw), "|")
	t, terr := time.Parse(time.RFC3339Nano, ts)
	if !ok || terr != nil || domain.RequireID("pageToken", id) != nil {
		return domain.Cursor{}, bad
	}
	return domain.Cursor{CreatedAt: t, ID: id}, nil
}
