// Package grpcapi adapts cart's use cases to the cart.v1 gRPC contract (and
// through the gateway to REST). Every method acts on the caller's own cart:
// the user comes from the verified access token, never from the request, so
// one user cannot name another's cart.
package grpcapi

import (
	"context"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	"github.com/shipshape-dev/shipshape/internal/cart/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// Server implements cartv1.CartServiceServer.
type Server struct {
	cartv1.UnimplementedCartServiceServer
	carts *usecase.Carts
}

// New returns the gRPC service over the use cases.
func New(carts *usecase.Carts) *Server { return &Server{carts: carts} }

// GetCart returns the caller's cart.
func (s *Server) GetCart(ctx context.Context, _ *cartv1.GetCartRequest) (*cartv1.GetCartResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.carts.Get(ctx, p.Subject)
	if err != nil {
		return nil, err
	}
	return &cartv1.GetCartResponse{Cart: toProto(c)}, nil
}

// AddItem adds to the caller's cart.
func (s *Server) AddItem(ctx context.Context, req *cartv1.AddItemRequest) (*cartv1.AddItemResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.carts.Add(ctx, p.Subject, req.GetProductId(), req.GetQuantity())
	if err != nil {
		return nil, err
	}
	return &cartv1.AddItemResponse{Cart: toProto(c)}, nil
}

// UpdateItem sets a line's quantity in the caller's cart.
func (s *Server) UpdateItem(ctx context.Context, req *cartv1.UpdateItemRequest) (*cartv1.UpdateItemResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.carts.Update(ctx, p.Subject, req.GetProductId(), req.GetQuantity())
	if err != nil {
		return nil, err
	}
	return &cartv1.UpdateItemResponse{Cart: toProto(c)}, nil
}

// RemoveItem removes a line from the caller's cart.
func (s *Server) RemoveItem(ctx context.Context, req *cartv1.RemoveItemRequest) (*cartv1.RemoveItemResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.carts.Remove(ctx, p.Subject, req.GetProductId())
	if err != nil {
		return nil, err
	}
	return &cartv1.RemoveItemResponse{Cart: toProto(c)}, nil
}

// ClearCart empties the caller's cart, optionally only at a version.
func (s *Server) ClearCart(ctx context.Context, req *cartv1.ClearCartRequest) (*cartv1.ClearCartResponse, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	c, cleared, err := s.carts.Clear(ctx, p.Subject, req.GetIfVersion())
	if err != nil {
		return nil, err
	}
	return &cartv1.ClearCartResponse{Cart: toProto(c), Cleared: cleared}, nil
}
