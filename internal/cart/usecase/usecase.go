// Package usecase is what cart does, one use case per file, independent of
// the transport: it validates input, asks catalog about products through
// ProductLookup, applies domain rules to the stored cart and prices the
// result.
//
// Catalog is asked before anything is written, so when it cannot answer the
// call fails with Unavailable and the cart is unchanged. Reading a cart
// needs catalog too (every response carries current names and prices): a
// cart with lines is Unavailable while catalog is down, rather than a
// response whose prices silently went missing.
package usecase

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

// ProductLookup is cart's view of catalog.
type ProductLookup interface {
	// Product returns the product as catalog has it now: domain.UnknownProduct
	// (NotFound) when catalog has no such product, an Unavailable error when
	// catalog cannot answer.
	Product(ctx context.Context, id string) (domain.Product, error)
}

// Store is cart's persistence (see store.Store).
type Store interface {
	Cart(ctx context.Context, userID string) (domain.Cart, error)
	Change(ctx context.Context, userID string, fn func(*domain.Cart) error) (domain.Cart, error)
	Clear(ctx context.Context, userID string, ifVersion int64) (domain.Cart, bool, error)
}

// Carts runs the use cases.
type Carts struct {
	store    Store
	products ProductLookup
}

// New returns the use cases over a store and catalog.
func New(store Store, products ProductLookup) *Carts {
	return &Carts{store: store, products: products}
}
