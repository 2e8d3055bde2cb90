package grpcapi

import (
	"context"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/usecase"
)

// ListCategories returns every category.
func (s *Server) ListCategories(ctx context.Context, _ *catalogv1.ListCategoriesRequest) (*catalogv1.ListCategoriesResponse, error) {
	cats, err := s.catalog.ListCategories(ctx)
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
	page, err := s.catalog.ListProducts(ctx, usecase.ListQuery{Category: req.GetCategory(), PageSize: req.GetPageSize(), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	return &catalogv1.ListProductsResponse{Products: toProtos(page.Products), NextPageToken: page.NextPageToken}, nil
}

// GetProduct finds one product by id or slug.
func (s *Server) GetProduct(ctx context.Context, req *catalogv1.GetProductRequest) (*catalogv1.GetProductResponse, error) {
	p, err := s.catalog.GetProduct(ctx, req.GetIdOrSlug())
	if err != nil {
		return nil, err
	}
	return &catalogv1.GetProductResponse{Product: toProto(p)}, nil
}

// SearchProducts ranks products by relevance to q.
func (s *Server) SearchProducts(ctx context.Context, req *catalogv1.SearchProductsRequest) (*catalogv1.SearchProductsResponse, error) {
	page, err := s.catalog.SearchProducts(ctx, usecase.SearchQuery{Q: req.GetQ(), PageSize: req.GetPageSize(), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	return &catalogv1.SearchProductsResponse{Products: toProtos(page.Products), NextPageToken: page.NextPageToken}, nil
}
