package grpcapi

import (
	"context"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

// ReserveStock holds stock for every item or none (idempotent by id).
func (s *Server) ReserveStock(ctx context.Context, req *catalogv1.ReserveStockRequest) (*catalogv1.ReserveStockResponse, error) {
	r, err := s.reserve(ctx, req)
	s.metrics.reserved(r.Items, err)
	if err != nil {
		return nil, err
	}
	return &catalogv1.ReserveStockResponse{Reservation: toReservation(r)}, nil
}

func (s *Server) reserve(ctx context.Context, req *catalogv1.ReserveStockRequest) (domain.Reservation, error) {
	if err := domain.RequireID("reservationId", req.GetReservationId()); err != nil {
		return domain.Reservation{}, err
	}
	items := make([]domain.StockItem, len(req.GetItems()))
	for i, it := range req.GetItems() {
		items[i] = domain.StockItem{ProductID: it.GetProductId(), Quantity: it.GetQuantity()}
	}
	items, err := domain.NormalizeItems("items", items)
	if err != nil {
		return domain.Reservation{}, err
	}
	ttl, err := domain.ReservationTTL("ttlSeconds", req.GetTtlSeconds())
	if err != nil {
		return domain.Reservation{}, err
	}
	r, err := s.store.Reserve(ctx, req.GetReservationId(), items, ttl)
	s.invalidate(items)
	return r, err
}

// ConfirmReservation makes a held reservation permanent.
func (s *Server) ConfirmReservation(ctx context.Context, req *catalogv1.ConfirmReservationRequest) (*catalogv1.ConfirmReservationResponse, error) {
	if err := domain.RequireID("reservationId", req.GetReservationId()); err != nil {
		return nil, err
	}
	r, err := s.store.Confirm(ctx, req.GetReservationId())
	s.invalidate(r.Items) // confirming late expires and restocks
	if err != nil {
		return nil, err
	}
	s.metrics.Finished(domain.StatusConfirmed, 1)
	return &catalogv1.ConfirmReservationResponse{Reservation: toReservation(r)}, nil
}

// ReleaseStock gives a reservation's stock back (idempotent).
func (s *Server) ReleaseStock(ctx context.Context, req *catalogv1.ReleaseStockRequest) (*catalogv1.ReleaseStockResponse, error) {
	if err := domain.RequireID("reservationId", req.GetReservationId()); err != nil {
		return nil, err
	}
	r, err := s.store.Release(ctx, req.GetReservationId())
	s.invalidate(r.Items)
	if err != nil {
		return nil, err
	}
	s.metrics.Finished(domain.StatusReleased, 1)
	return &catalogv1.ReleaseStockResponse{Reservation: toReservation(r)}, nil
}

// invalidate drops cached copies of products whose stock may have changed.
func (s *Server) invalidate(items []domain.StockItem) {
	for _, it := range items {
		s.products.Invalidate(it.ProductID)
	}
}
