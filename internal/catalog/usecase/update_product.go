package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// UpdateProduct changes the fields the patch sets; the rest keep their
// values.
func (c *Catalog) UpdateProduct(ctx context.Context, id string, patch domain.ProductPatch) (domain.Product, error) {
	if err := domain.ValidateProductPatch(id, patch); err != nil {
		return domain.Product{}, err
	}
	p, err := c.store.UpdateProduct(ctx, id, patch)
	c.cache.Invalidate(id)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return domain.Product{}, apperr.NotFound("product", id)
	case errors.Is(err, domain.ErrUnknownCategory):
		return domain.Product{}, apperr.InvalidField("category", "no such category")
	}
	return p, err
}
