package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// History returns up to size of the user's orders after cursor (newest
// first), and whether more follow.
func (s *Service) History(ctx context.Context, userID string, after domain.Cursor, size int) ([]domain.Order, bool, error) {
	return s.Store.ListOrders(ctx, userID, after, size)
}

// Order returns one order; who may see it is the caller's check.
func (s *Service) Order(ctx context.Context, id string) (domain.Order, error) {
	o, err := s.Store.GetOrder(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Order{}, apperr.NotFound("order", id)
	}
	return o, err
}
