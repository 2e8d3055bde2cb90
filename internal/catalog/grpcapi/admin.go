package grpcapi

import (
	"context"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// CreateProduct adds a product (admin role).
func (s *Server) CreateProduct(ctx context.Context, req *catalogv1.CreateProductRequest) (*catalogv1.CreateProductResponse, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	p, err := s.catalog.CreateProduct(ctx, domain.NewProduct{Slug: req.GetSlug(), Name: req.GetName(), Description: req.GetDescription(),
		Price: fromMoney(req.GetPrice()), CategorySlug: req.GetCategory(), ImageURL: req.GetImageUrl(), Stock: req.GetStock()})
	if err != nil {
		return nil, err
	}
	return &catalogv1.CreateProductResponse{Product: toProto(p)}, nil
}

// UpdateProduct changes the fields a request sets (admin role).
func (s *Server) UpdateProduct(ctx context.Context, req *catalogv1.UpdateProductRequest) (*catalogv1.UpdateProductResponse, error) {
	if _, err := auth.RequireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	patch := domain.ProductPatch{Name: req.Name, Description: req.Description, CategorySlug: req.Category,
		ImageURL: req.ImageUrl, Stock: req.Stock}
	if req.GetPrice() != nil {
		m := fromMoney(req.GetPrice())
		patch.Price = &m
	}
	p, err := s.catalog.UpdateProduct(ctx, req.GetId(), patch)
	if err != nil {
		return nil, err
	}
	return &catalogv1.UpdateProductResponse{Product: toProto(p)}, nil
}
