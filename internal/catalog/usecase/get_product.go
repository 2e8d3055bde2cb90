package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// GetProduct finds one product by id or slug, through the product cache.
func (c *Catalog) GetProduct(ctx context.Context, idOrSlug string) (domain.Product, error) {
	if err := domain.ValidateIDOrSlug("idOrSlug", idOrSlug); err != nil {
		return domain.Product{}, err
	}
	p, err := c.cache.Get(ctx, idOrSlug, c.store.GetProduct)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Product{}, apperr.NotFound("product", idOrSlug)
	}
	return p, err
}
