package usecase

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

// ListCategories returns every category by name.
func (c *Catalog) ListCategories(ctx context.Context) ([]domain.Category, error) {
	return c.store.ListCategories(ctx)
}
