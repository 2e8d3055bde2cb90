// Package upstream holds cart's clients of other services. Lookup is the
// adapter to catalog's gRPC API: it implements usecase.ProductLookup and
// turns catalog's answers into cart's errors, so no catalog status leaks to
// cart's clients as if it were cart's.
package upstream

import (
	"context"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/cart/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// GetProductMethod is the only method cart calls; it is idempotent, so the
// connection may retry it.
const GetProductMethod = catalogv1.CatalogService_GetProduct_FullMethodName

// Lookup finds products in catalog.
type Lookup struct {
	client catalogv1.CatalogServiceClient
}

// New returns a lookup over client.
func New(client catalogv1.CatalogServiceClient) *Lookup { return &Lookup{client: client} }

// Product returns catalog's current product.
func (l *Lookup) Product(ctx context.Context, id string) (domain.Product, error) {
	resp, err := l.client.GetProduct(ctx, &catalogv1.GetProductRequest{IdOrSlug: id})
	if err != nil {
		return domain.Product{}, classify(ctx, id, err)
	}
	p := resp.GetProduct()
	return domain.Product{
		ID: p.GetId(), Slug: p.GetSlug(), Name: p.GetName(), ImageURL: p.GetImageUrl(),
		Price: domain.Money{Currency: p.GetPrice().GetCurrencyCode(), AmountMinor: p.GetPrice().GetAmountMinor()},
		Stock: p.GetStock(),
	}, nil
}

// classify maps a failed call: NotFound is the product's absence; codes a
// retry may cure are Unavailable (503); anything else is our bug or
// catalog's and stays internal.
func classify(ctx context.Context, id string, err error) error {
	if ctx.Err() != nil { // our caller gave up or ran out of time
		return ctx.Err()
	}
	// %v, not %w: apperr.ToStatus passes any error wrapping a gRPC status
	// through unchanged, which would hand catalog's status to our client.
	cause := fmt.Errorf("catalog GetProduct %s: %v", id, err)
	switch status.Code(err) {
	case codes.NotFound:
		return domain.UnknownProduct(id)
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted:
		return apperr.Unavailable(cause)
	}
	return apperr.Internal(cause)
}
