package productcache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

type source struct {
	loads atomic.Int32
	stock atomic.Int32
	gate  chan struct{} // when set, loads wait for it
}

func (s *source) load(_ context.Context, key string) (domain.Product, error) {
	s.loads.Add(1)
	if s.gate != nil {
		<-s.gate
	}
	if key == "missing" {
		return domain.Product{}, errors.New("not found")
	}
	return domain.Product{ID: "id-1", Slug: "slug-1", Stock: s.stock.Load()}, nil
}

func TestHitsWithinTTLAndReloadsAfter(t *testing.T) {
	c := New(time.Second, 100)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	src := &source{}
	src.stock.Store(5)
	for _, key := range []string{"slug-1", "slug-1", "id-1"} { // both keys filled by one load
		if p, err := c.Get(context.Background(), key, src.load); err != nil || p.Stock != 5 {
			t.Fatal(p, err)
		}
	}
	if src.loads.Load() != 1 {
		t.Fatalf("loads = %d, want 1", src.loads.Load())
	}
	src.stock.Store(4)
	now = now.Add(time.Second)
	if p, _ := c.Get(context.Background(), "id-1", src.load); p.Stock != 4 || src.loads.Load() != 2 {
		t.Fatalf("after TTL: stock %d, loads %d", p.Stock, src.loads.Load())
	}
}

func TestInvalidateDropsBothKeys(t *testing.T) {
	c := New(time.Hour, 100)
	src := &source{}
	_, _ = c.Get(context.Background(), "slug-1", src.load)
	c.Invalidate("id-1")
	_, _ = c.Get(context.Background(), "slug-1", src.load)
	if src.loads.Load() != 2 {
		t.Fatalf("slug key survived invalidation of its id: loads = %d", src.loads.Load())
	}
	c.InvalidateAll()
	_, _ = c.Get(context.Background(), "id-1", src.load)
	if src.loads.Load() != 3 {
		t.Fatalf("InvalidateAll kept entries: loads = %d", src.loads.Load())
	}
}

func TestErrorsAreNotCachedAndDisabledCacheAlwaysLoads(t *testing.T) {
	c := New(time.Hour, 100)
	src := &source{}
	for range 2 {
		if _, err := c.Get(context.Background(), "missing", src.load); err == nil {
			t.Fatal("want error")
		}
	}
	if src.loads.Load() != 2 {
		t.Fatalf("errors were cached: loads = %d", src.loads.Load())
	}
	off := New(0, 100)
	for range 3 {
		_, _ = off.Get(context.Background(), "slug-1", src.load)
	}
	if src.loads.Load() != 5 {
		t.Fatalf("disabled cache served from memory: loads = %d", src.loads.Load())
	}
}

func TestConcurrentMissesShareOneLoad(t *testing.T) {
	c := New(time.Hour, 100)
	src := &source{gate: make(chan struct{})}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { _, _ = c.Get(context.Background(), "slug-1", src.load) })
	}
	// Release the single in-flight load once every caller is waiting on it.
	for src.loads.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(src.gate)
	wg.Wait()
	if src.loads.Load() != 1 {
		t.Fatalf("loads = %d, want 1", src.loads.Load())
	}
}

func TestBoundedSize(t *testing.T) {
	c := New(time.Hour, 4)
	for i := range 10 {
		id := string(rune('a' + i))
		_, _ = c.Get(context.Background(), id, func(context.Context, string) (domain.Product, error) {
			return domain.Product{ID: id, Slug: "s" + id}, nil
		})
		if len(c.entries) > 4 {
			t.Fatalf("cache grew to %d entries", len(c.entries))
		}
	}
}
