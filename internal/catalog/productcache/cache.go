// Package productcache keeps recently read products in memory for a short
// time. Product pages are most of catalog's traffic and change rarely, so a
// TTL of about a second removes most database reads while bounding how stale
// a page can be. Stock shown may lag by up to the TTL; reservations always go
// to the database, so the cache can never cause an oversell.
package productcache

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

// Loader reads a product from the source of truth. An alias, so a plain
// function of this shape is one (usecase.ProductCache needs no import).
type Loader = func(ctx context.Context, idOrSlug string) (domain.Product, error)

// Cache maps an id or slug to a product until it expires or is invalidated.
type Cache struct {
	ttl        time.Duration
	maxEntries int
	now        func() time.Time
	group      singleflight.Group

	mu      sync.Mutex
	entries map[string]entry
}

type entry struct {
	product domain.Product
	expires time.Time
}

// New returns a cache; ttl <= 0 disables caching (every Get loads).
func New(ttl time.Duration, maxEntries int) *Cache {
	return &Cache{ttl: ttl, maxEntries: maxEntries, now: time.Now, entries: map[string]entry{}}
}

// Get returns the cached product or loads it. Concurrent misses for one key
// share a single load.
func (c *Cache) Get(ctx context.Context, key string, load Loader) (domain.Product, error) {
	if c.ttl <= 0 {
		return load(ctx, key)
	}
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.product, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		p, err := load(ctx, key)
		if err == nil {
			c.put(p, c.now().Add(c.ttl))
		}
		return p, err
	})
	if err != nil {
		return domain.Product{}, err
	}
	return v.(domain.Product), nil
}

// put stores p under its id and its slug. When full it starts over: simpler
// than LRU, and a full cache of a shop this size means a scan, not a hot set.
func (c *Cache) put(p domain.Product, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries)+2 > c.maxEntries {
		clear(c.entries)
	}
	c.entries[p.ID] = entry{p, expires}
	c.entries[p.Slug] = entry{p, expires}
}

// Invalidate drops the products with these ids, under both their keys.
func (c *Cache) Invalidate(ids ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if e, ok := c.entries[id]; ok {
			delete(c.entries, e.product.Slug)
		}
		delete(c.entries, id)
	}
}

// InvalidateAll empties the cache.
func (c *Cache) InvalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}
