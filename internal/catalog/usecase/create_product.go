package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// CreateProduct adds a product; its slug must be free and its category
// must exist.
func (c *Catalog) CreateProduct(ctx context.Context, np domain.NewProduct) (domain.Product, error) {
	if err := domain.ValidateNewProduct(np); err != nil {
		return domain.Product{}, err
	}
	p, err := c.store.CreateProduct(ctx, np)
	switch {
	case errors.Is(err, domain.ErrSlugTaken):
		return domain.Product{}, &apperr.Error{Kind: apperr.KindAlreadyExists, Message: "a product with this slug exists",
			Fields: []apperr.FieldViolation{{Field: "slug", Reason: "is taken"}}}
	case errors.Is(err, domain.ErrUnknownCategory):
		return domain.Product{}, apperr.InvalidField("category", "no such category")
	}
	return p, err
}
