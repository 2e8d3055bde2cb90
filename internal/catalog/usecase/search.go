package usecase

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

// SearchQuery asks for a page of products matching Q (web-search syntax).
type SearchQuery struct {
	Q         string
	PageSize  int32  // 0: the default
	PageToken string // "" for the first page
}

// SearchProducts ranks products by relevance to the query. A page token is
// bound to its query.
func (c *Catalog) SearchProducts(ctx context.Context, q SearchQuery) (Page, error) {
	text, err := domain.ValidateQuery("q", q.Q)
	if err != nil {
		return Page{}, err
	}
	size, err := domain.PageSize("pageSize", q.PageSize)
	if err != nil {
		return Page{}, err
	}
	cur, err := domain.DecodeCursor("pageToken", q.PageToken, "q="+text)
	if err != nil {
		return Page{}, err
	}
	products, more, err := c.store.Search(ctx, text, cur.Offset, size)
	if err != nil {
		return Page{}, err
	}
	page := Page{Products: products}
	if more {
		cur.Offset += len(products)
		page.NextPageToken = domain.EncodeCursor(cur)
	}
	return page, nil
}
