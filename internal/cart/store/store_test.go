package store_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
	"github.com/shipshape-dev/shipshape/internal/cart/store"
	"github.com/shipshape-dev/shipshape/internal/cart/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("cart", migrations.FS)

func newStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	pool := migrated.NewPool(t)
	return store.New(pool), pool
}

func add(p domain.Product, qty int32) func(*domain.Cart) error {
	return func(c *domain.Cart) error { return c.Add(p, qty) }
}

func stocked() domain.Product { return domain.Product{ID: uuid.NewString(), Stock: 1000} }

// The template every cart test package clones holds cart's tables and no rows.
func TestMigratedHasCartTablesAndNoRows(t *testing.T) {
	_, pool := newStore(t)
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM carts) + (SELECT count(*) FROM cart_items)`).Scan(&n); err != nil {
		t.Fatalf("schema missing: %v", err)
	}
	if n != 0 {
		t.Fatalf("%d rows in a fresh database", n)
	}
}

func TestUnknownUserHasAnEmptyCartAtVersionZero(t *testing.T) {
	s, _ := newStore(t)
	c, err := s.Cart(t.Context(), "nobody")
	if err != nil || c.Version != 0 || len(c.Lines) != 0 || c.UserID != "nobody" {
		t.Fatalf("cart = %+v, %v", c, err)
	}
}

func TestChangesBumpTheVersionAndKeepTheOrderOfAdding(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	a, b := stocked(), stocked()
	for i, fn := range []func(*domain.Cart) error{add(a, 2), add(b, 1), add(a, 3)} {
		c, err := s.Change(ctx, "u1", fn)
		if err != nil || c.Version != int64(i+1) {
			t.Fatalf("change %d: version %d, %v", i, c.Version, err)
		}
	}
	c, err := s.Cart(ctx, "u1")
	if err != nil || len(c.Lines) != 2 || c.Lines[0].ProductID != a.ID || c.Lines[0].Quantity != 5 || c.Lines[1].Quantity != 1 {
		t.Fatalf("cart = %+v, %v", c, err)
	}
	if c.UpdatedAt.IsZero() || c.Lines[0].AddedAt.IsZero() {
		t.Fatal("times not set")
	}
	c, err = s.Change(ctx, "u1", func(c *domain.Cart) error { return c.Remove(a.ID) })
	if err != nil || len(c.Lines) != 1 || c.Lines[0].ProductID != b.ID || c.Version != 4 {
		t.Fatalf("after remove: %+v, %v", c, err)
	}
}

func TestAFailedChangeLeavesNothing(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	a := stocked()
	if _, err := s.Change(ctx, "u1", add(a, 1)); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("refused")
	_, err := s.Change(ctx, "u1", func(c *domain.Cart) error {
		_ = c.Add(stocked(), 1)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	// Also a change the first time a user's cart is touched.
	if _, err := s.Change(ctx, "u2", func(*domain.Cart) error { return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	c, _ := s.Cart(ctx, "u1")
	if c.Version != 1 || len(c.Lines) != 1 {
		t.Fatalf("cart after a failed change = %+v", c)
	}
	if c, _ := s.Cart(ctx, "u2"); c.Version != 0 {
		t.Fatalf("failed first change left version %d", c.Version)
	}
}

func TestCartsAreSeparatePerUser(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	a := stocked()
	_, _ = s.Change(ctx, "alice", add(a, 2))
	_, err := s.Change(ctx, "bob", func(c *domain.Cart) error { return c.Remove(a.ID) })
	if !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("bob removing alice's product: %v", err)
	}
	if c, _ := s.Cart(ctx, "alice"); len(c.Lines) != 1 || c.Lines[0].Quantity != 2 {
		t.Fatalf("alice's cart = %+v", c)
	}
}

func TestConcurrentChangesOfOneCartSerialize(t *testing.T) {
	s, _ := newStore(t)
	a := stocked()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := s.Change(context.Background(), "u1", add(a, 1)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	c, _ := s.Cart(t.Context(), "u1")
	if len(c.Lines) != 1 || c.Lines[0].Quantity != 20 || c.Version != 20 {
		t.Fatalf("cart = %+v, want one line of 20 at version 20", c)
	}
}

func TestTheDatabaseRefusesQuantitiesOutOfRange(t *testing.T) {
	s, pool := newStore(t)
	_, _ = s.Change(t.Context(), "u1", add(stocked(), 1))
	for _, q := range []int{0, 100} {
		if _, err := pool.Exec(t.Context(), `UPDATE cart_items SET quantity = $1`, q); err == nil {
			t.Fatalf("quantity %d accepted", q)
		}
	}
}

func TestClearIfVersion(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	_, _ = s.Change(ctx, "u1", add(stocked(), 1))
	c, _ := s.Change(ctx, "u1", add(stocked(), 2)) // version 2

	stale, cleared, err := s.Clear(ctx, "u1", 1)
	if err != nil || cleared || len(stale.Lines) != 2 || stale.Version != 2 {
		t.Fatalf("stale clear: cleared=%v %+v %v", cleared, stale, err)
	}
	done, cleared, err := s.Clear(ctx, "u1", c.Version)
	if err != nil || !cleared || len(done.Lines) != 0 || done.Version != 3 {
		t.Fatalf("clear at version: cleared=%v %+v %v", cleared, done, err)
	}
	// Already empty: cleared, but nothing changed, so no new version.
	again, cleared, err := s.Clear(ctx, "u1", 0)
	if err != nil || !cleared || again.Version != 3 {
		t.Fatalf("clear empty: cleared=%v %+v %v", cleared, again, err)
	}
	// The version never goes back, so an old if_version cannot match again.
	_, _ = s.Change(ctx, "u1", add(stocked(), 1))
	if _, cleared, _ := s.Clear(ctx, "u1", 2); cleared {
		t.Fatal("an old version matched after the cart was cleared and refilled")
	}
	if _, cleared, err := s.Clear(ctx, "nobody", 5); cleared || err != nil {
		t.Fatalf("unknown user with a version: cleared=%v %v", cleared, err)
	}
}
