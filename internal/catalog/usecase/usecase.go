// Package usecase is what catalog does, one use case per file, independent
// of the transport: it validates input with the domain rules, reads and
// writes through Store, keeps this replica's product cache in step with its
// own writes, and turns the store's outcomes into the service's errors
// (apperr kinds, messages and the offending fields).
//
// Who may call what (admin role, the orders service for stock) is the
// transport's check, made before a use case runs.
package usecase

import (
	"context"
	"time"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

// Store is catalog's persistence (see store.Store): data, and domain's
// sentinel errors (domain.ErrNotFound, ...) for the expected misses.
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
	ExpireDue(ctx context.Context, asOf time.Time, limit int) (int, error)
}

// ProductCache keeps recent product reads in memory (productcache.Cache).
// Reads of one product go through it; every write of this replica drops
// what it touched, so a replica always shows its own changes.
type ProductCache interface {
	Get(ctx context.Context, idOrSlug string, load func(context.Context, string) (domain.Product, error)) (domain.Product, error)
	Invalidate(ids ...string)
	InvalidateAll()
}

// Catalog runs the use cases.
type Catalog struct {
	store   Store
	cache   ProductCache
	metrics *Metrics
}

// New returns the use cases over a store, a product cache and the business
// metrics.
func New(store Store, cache ProductCache, metrics *Metrics) *Catalog {
	return &Catalog{store: store, cache: cache, metrics: metrics}
}

// Page is one page of products and the token of the next, "" on the last.
type Page struct {
	Products      []domain.Product
	NextPageToken string
}

// invalidate drops cached copies of products whose stock may have changed.
func (c *Catalog) invalidate(items []domain.StockItem) {
	for _, it := range items {
		c.cache.Invalidate(it.ProductID)
	}
}
