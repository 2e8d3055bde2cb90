package grpcapi

import (
	"context"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/catalog/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// stockService is the only caller that may change stock: orders, for a
// checkout (docs/adr/0014). Any other caller, a service or not, is refused.
const stockService = "orders"

// ReserveStock holds stock for every item or none (idempotent by id).
func (s *Server) ReserveStock(ctx context.Context, req *catalogv1.ReserveStockRequest) (*catalogv1.ReserveStockResponse, error) {
	if _, err := servicetoken.Require(ctx, stockService); err != nil {
		return nil, err
	}
	items := make([]domain.StockItem, len(req.GetItems()))
	for i, it := range req.GetItems() {
		items[i] = domain.StockItem{ProductID: it.GetProductId(), Quantity: it.GetQuantity()}
	}
	r, err := s.catalog.ReserveStock(ctx, usecase.ReserveRequest{ReservationID: req.GetReservationId(), Items: items, TTLSeconds: req.GetTtlSeconds()})
	if err != nil {
		return nil, err
	}
	return &catalogv1.ReserveStockResponse{Reservation: toReservation(r)}, nil
}

// ConfirmReservation makes a held reservation permanent.
func (s *Server) ConfirmReservation(ctx context.Context, req *catalogv1.ConfirmReservationRequest) (*catalogv1.ConfirmReservationResponse, error) {
	if _, err := servicetoken.Require(ctx, stockService); err != nil {
		return nil, err
	}
	r, err := s.catalog.ConfirmReservation(ctx, req.GetReservationId())
	if err != nil {
		return nil, err
	}
	return &catalogv1.ConfirmReservationResponse{Reservation: toReservation(r)}, nil
}

// ReleaseStock gives a reservation's stock back (idempotent).
func (s *Server) ReleaseStock(ctx context.Context, req *catalogv1.ReleaseStockRequest) (*catalogv1.ReleaseStockResponse, error) {
	if _, err := servicetoken.Require(ctx, stockService); err != nil {
		return nil, err
	}
	r, err := s.catalog.ReleaseStock(ctx, req.GetReservationId())
	if err != nil {
		return nil, err
	}
	return &catalogv1.ReleaseStockResponse{Reservation: toReservation(r)}, nil
}
