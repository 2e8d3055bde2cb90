// Package grpcapi adapts catalog's store to the catalog.v1 gRPC contract:
// it validates every request field, converts types and checks roles. The
// REST facade reaches it through the gateway, so the rules hold for both.
package grpcapi

import (
	"context"
	"time"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/catalog/productcache"
)

// Store is what the adapter needs from persistence.
type Store interface {
	ListCategories(ctx context.Context) ([]domain.Category, error)
	ListProducts(ctx context.Context, category, after string, limit int) ([]domain.Product, bool, error)
	GetProduct(ctx context.Context, idOrSlug string) (domain.Product, error)
	Search(ctx context.Context, q string, offset, limit int) ([]domain.Product, bool, error)
	CreateProduct(ctx context.Context, np domain.NewProduct) (domain.Product, error)
	UpdateProduct(ctx context.Context, id string, p domain.ProductPatch) (domain.Product, error)
	Reserve(ctx context.Context, id string, items []domain.StockItem, ttl time.Duration) (domain.Reservation, error)
	Confirm(ctx context.Context, id string) (domain.Reservation, error)
	Release(ctx context.Context, id string) (domain.Reservation, error)
}

// Server implements catalogv1.CatalogServiceServer.
type Server struct {
	catalogv1.UnimplementedCatalogServiceServer
	store    Store
	products *productcache.Cache
	metrics  *Metrics
}

// New returns the gRPC service over store; product reads go through cache,
// and every write this replica makes invalidates what it touched.
func New(store Store, cache *productcache.Cache, metrics *Metrics) *Server {
	return &Server{store: store, products: cache, metrics: metrics}
}
