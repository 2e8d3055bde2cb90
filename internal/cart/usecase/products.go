package usecase

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// lookupParallelism bounds concurrent catalog calls for one request: a full
// cart (50 lines) costs about seven round trips instead of fifty.
const lookupParallelism = 8

// fetch looks up products by id, concurrently. Products catalog no longer
// has are left out (their lines show as unknown); any other failure fails
// the whole fetch.
func (c *Carts) fetch(ctx context.Context, ids []string) (map[string]domain.Product, error) {
	var (
		mu  sync.Mutex
		out = make(map[string]domain.Product, len(ids))
	)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(lookupParallelism)
	for _, id := range ids {
		g.Go(func() error {
			p, err := c.products.Product(ctx, id)
			if apperr.Is(err, apperr.KindNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			mu.Lock()
			out[id] = p
			mu.Unlock()
			return nil
		})
	}
	return out, g.Wait()
}

// price prices cart with known products, fetching those it lacks (lines
// added by a concurrent change since known was fetched).
func (c *Carts) price(ctx context.Context, cart domain.Cart, known map[string]domain.Product) (domain.PricedCart, error) {
	var missing []string
	for _, id := range cart.ProductIDs() {
		if _, ok := known[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		more, err := c.fetch(ctx, missing)
		if err != nil {
			return domain.PricedCart{}, err
		}
		all := make(map[string]domain.Product, len(known)+len(more))
		for _, m := range []map[string]domain.Product{known, more} {
			for id, p := range m {
				all[id] = p
			}
		}
		known = all
	}
	return domain.Price(cart, known)
}
