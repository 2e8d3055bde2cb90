package grpcapi

import (
	"context"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ListCategories returns every category.
func (s *Server) ListCategories(ctx context.Context, _ *catalogv1.ListCategoriesRequest) (*catalogv1.ListCategoriesResponse, error) {
	cats, err := s.store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	resp := &catalogv1.ListCategoriesResponse{Categories: make([]*catalogv1.Category, len(cats))}
	for i, c := range cats {
		resp.Categories[i] = &catalogv1.Category{Id: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description}
	}
	return resp, nil
}

// ListProducts pages through products, optionally of one category.
func (s *Server) ListProducts(ctx context.Context, req *catalogv1.ListProductsRequest) (*catalogv1.ListProductsResponse, error) {
	size, err := domain.PageSize("pageSize", req.GetPageSize())
	if err != nil {
		return nil, err
	}
	if c := req.GetCategory(); c != "" && !domain.ValidSlug(c) {
		return nil, apperr.InvalidField("category", "must be a category slug")
	}
	cur, err := domain.DecodeCursor("pageToken", req.GetPageToken(), "category="+req.GetCategory())
	if err != nil {
		return nil, err
	}
	products, more, err := s.store.ListProducts(ctx, req.GetCategory(), cur.After, size)
	if err != nil {
		return nil, err
	}
	resp := &catalogv1.ListProductsResponse{Products: toProtos(products)}
	if more {
		cur.After = products[len(products)-1].Slug
		resp.NextPageToken = domain.EncodeCursor(cur)
	}
	return resp, nil
}

// GetProduct finds one product by id or slug.
func (s *Server) GetProduct(ctx context.Context, req *catalogv1.GetProductRequest) (*catalogv1.GetProductResponse, error) {
	if err := domain.ValidateIDOrSlug("idOrSlug", req.GetIdOrSlug()); err != nil {
		return nil, err
	}
	p, err := s.products.Get(ctx, req.GetIdOrSlug(), s.store.GetProduct)
	if err != nil {
		return nil, err
	}
	return &catalogv1.GetProductResponse{Product: toProto(p)}, nil
}

// SearchProducts ranks products by relevance to q.
func (s *Server) SearchProducts(ctx context.Context, req *catalogv1.SearchProductsRequest) (*catalogv1.SearchProductsResponse, error) {
	q, err := domain.ValidateQuery("q", req.GetQ())
	if err != nil {
		return nil, err
	}
	size, err := domain.PageSize("pageSize", req.GetPageSize())
	if err != nil {
		return nil, err
	}
	cur, err := domain.DecodeCursor("pageToken", req.GetPageToken(), "q="+q)
	if err != nil {
		return nil, err
	}
	products, more, err := s.store.Search(ctx, q, cur.Offset, size)
	if err != nil {
		return nil, err
	}
	resp := &catalogv1.SearchProductsResponse{Products: toProtos(products)}
	if more {
		cur.Offset += len(products)
		resp.NextPageToken = domain.EncodeCursor(cur)
	}
	return resp, nil
}
