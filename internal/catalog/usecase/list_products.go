package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ListQuery asks for a page of products, optionally of one category.
type ListQuery struct {
	Category  string // a category slug, "" for all
	PageSize  int32  // 0: the default
	PageToken string // "" for the first page
}

// ListProducts pages through products in slug order. A page token is bound
// to its category, so it cannot be replayed against another.
func (c *Catalog) ListProducts(ctx context.Context, q ListQuery) (Page, error) {
	size, err := domain.PageSize("pageSize", q.PageSize)
	if err != nil {
		return Page{}, err
	}
	if q.Category != "" && !domain.ValidSlug(q.Category) {
		return Page{}, apperr.InvalidField("category", "must be a category slug")
	}
	cur, err := domain.DecodeCursor("pageToken", q.PageToken, "category="+q.Category)
	if err != nil {
		return Page{}, err
	}
	products, more, err := c.store.ListProducts(ctx, q.Category, cur.After, size)
	if errors.Is(err, domain.ErrNotFound) {
		return Page{}, apperr.NotFound("category", q.Category)
	}
	if err != nil {
		return Page{}, err
	}
	page := Page{Products: products}
	if more {
		cur.After = products[len(products)-1].Slug
		page.NextPageToken = domain.EncodeCursor(cur)
	}
	return page, nil
}
