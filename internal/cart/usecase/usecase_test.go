package usecase_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
	"github.com/shipshape-dev/shipshape/internal/cart/store"
	"github.com/shipshape-dev/shipshape/internal/cart/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/cart/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("cart", migrations.FS)

// catalog is a ProductLookup over a map; down makes every call fail as a
// catalog outage does, and hook runs before each answer.
type catalog struct {
	mu       sync.Mutex
	products map[string]domain.Product
	down     bool
	calls    int
	hook     func(id string)
}

func (f *catalog) Product(_ context.Context, id string) (domain.Product, error) {
	f.mu.Lock()
	f.calls++
	hook, down := f.hook, f.down
	p, ok := f.products[id]
	f.mu.Unlock()
	if hook != nil {
		hook(id)
	}
	switch {
	case down:
		return domain.Product{}, apperr.Unavailable(errors.New("catalog down"))
	case !ok:
		return domain.Product{}, domain.UnknownProduct(id)
	}
	return p, nil
}

func (f *catalog) put(p domain.Product) domain.Product {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.products[p.ID] = p
	return p
}

func (f *catalog) set(fn func(f *catalog)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func setup(t *testing.T) (*usecase.Carts, *catalog, *store.Store) {
	t.Helper()
	pool := migrated.NewPool(t)
	st := store.New(pool)
	cat := &catalog{products: map[string]domain.Product{}}
	return usecase.New(st, cat), cat, st
}

func newProduct(name string, price int64) domain.Product {
	return domain.Product{ID: uuid.NewString(), Slug: name, Name: name, Price: domain.Money{Currency: "EUR", AmountMinor: price}, Stock: 20}
}

func version(t *testing.T, st *store.Store, user string) (int64, int) {
	t.Helper()
	c, err := st.Cart(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version, len(c.Lines)
}

func TestAddPricesTheCart(t *testing.T) {
	carts, cat, _ := setup(t)
	a, b := cat.put(newProduct("a", 1000)), cat.put(newProduct("b", 250))
	if _, err := carts.Add(t.Context(), "u1", a.ID, 2); err != nil {
		t.Fatal(err)
	}
	c, err := carts.Add(t.Context(), "u1", b.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subtotal != (domain.Money{Currency: "EUR", AmountMinor: 2750}) || c.ItemCount != 5 || c.Version != 2 {
		t.Fatalf("cart = %+v", c)
	}
	got, err := carts.Get(t.Context(), "u1")
	if err != nil || got.Subtotal != c.Subtotal || got.Lines[1].Product.Name != "b" {
		t.Fatalf("get = %+v, %v", got, err)
	}
}

func TestCatalogDownWritesNothing(t *testing.T) {
	carts, cat, st := setup(t)
	a, b := cat.put(newProduct("a", 1000)), cat.put(newProduct("b", 1000))
	if _, err := carts.Add(t.Context(), "u1", a.ID, 1); err != nil {
		t.Fatal(err)
	}
	cat.set(func(f *catalog) { f.down = true })
	calls := []struct {
		name string
		fn   func() error
	}{
		{"add", func() error { _, err := carts.Add(t.Context(), "u1", b.ID, 1); return err }},
		{"update", func() error { _, err := carts.Update(t.Context(), "u1", a.ID, 3); return err }},
		{"remove", func() error { _, err := carts.Remove(t.Context(), "u1", a.ID); return err }},
		{"get", func() error { _, err := carts.Get(t.Context(), "u1"); return err }},
		{"stale clear", func() error { _, _, err := carts.Clear(t.Context(), "u1", 7); return err }},
	}
	for _, c := range calls {
		if err := c.fn(); !apperr.Is(err, apperr.KindUnavailable) {
			t.Errorf("%s: got %v, want Unavailable", c.name, err)
		}
		if v, n := version(t, st, "u1"); v != 1 || n != 1 {
			t.Fatalf("%s changed the cart: version %d, %d lines", c.name, v, n)
		}
	}
	// Clearing needs no catalog: the result is empty.
	c, cleared, err := carts.Clear(t.Context(), "u1", 1)
	if err != nil || !cleared || len(c.Lines) != 0 || c.Version != 2 {
		t.Fatalf("clear with catalog down: %+v %v %v", c, cleared, err)
	}
}

func TestValidationAndUnknownProductsNeverReachTheStore(t *testing.T) {
	carts, cat, st := setup(t)
	_, err := carts.Add(t.Context(), "u1", "not-a-uuid", 1)
	if !apperr.Is(err, apperr.KindInvalidArgument) || cat.calls != 0 {
		t.Fatalf("bad id: %v after %d catalog calls", err, cat.calls)
	}
	_, err = carts.Add(t.Context(), "u1", uuid.NewString(), 1)
	e := apperr.As(err)
	if e.Kind != apperr.KindNotFound || len(e.Fields) != 1 || e.Fields[0].Field != "productId" {
		t.Fatalf("unknown product: %v", err)
	}
	if _, _, err := carts.Clear(t.Context(), "u1", -1); !apperr.Is(err, apperr.KindInvalidArgument) {
		t.Fatalf("negative ifVersion: %v", err)
	}
	if v, _ := version(t, st, "u1"); v != 0 {
		t.Fatalf("version %d", v)
	}
}

func TestAProductGoneFromCatalogStaysVisibleAndRemovable(t *testing.T) {
	carts, cat, _ := setup(t)
	a, b := cat.put(newProduct("a", 1000)), cat.put(newProduct("b", 300))
	_, _ = carts.Add(t.Context(), "u1", a.ID, 2)
	_, _ = carts.Add(t.Context(), "u1", b.ID, 1)
	cat.set(func(f *catalog) { delete(f.products, a.ID) })
	c, err := carts.Get(t.Context(), "u1")
	if err != nil || c.Lines[0].Known || c.Lines[0].Quantity != 2 || c.Subtotal.AmountMinor != 300 || c.ItemCount != 3 {
		t.Fatalf("cart = %+v, %v", c, err)
	}
	if _, err := carts.Update(t.Context(), "u1", a.ID, 1); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("update of a vanished product: %v", err)
	}
	c, err = carts.Remove(t.Context(), "u1", a.ID)
	if err != nil || len(c.Lines) != 1 || c.Lines[0].ProductID != b.ID {
		t.Fatalf("remove: %+v, %v", c, err)
	}
}

func TestAChangeThatWouldMixCurrenciesIsNotSaved(t *testing.T) {
	carts, cat, st := setup(t)
	a := cat.put(newProduct("a", 1000))
	usd := newProduct("usd", 1000)
	usd.Price.Currency = "USD"
	cat.put(usd)
	_, _ = carts.Add(t.Context(), "u1", a.ID, 1)
	if _, err := carts.Add(t.Context(), "u1", usd.ID, 1); !apperr.Is(err, apperr.KindFailedPrecondition) {
		t.Fatalf("got %v, want FailedPrecondition", err)
	}
	if v, n := version(t, st, "u1"); v != 1 || n != 1 {
		t.Fatalf("version %d, %d lines", v, n)
	}
}

// A line another request adds between the lookup and the write is priced in
// the response too.
func TestLinesAddedConcurrentlyArePriced(t *testing.T) {
	carts, cat, st := setup(t)
	a, b := cat.put(newProduct("a", 1000)), cat.put(newProduct("b", 200))
	var once sync.Once
	cat.set(func(f *catalog) {
		f.hook = func(string) {
			once.Do(func() {
				if _, err := st.Change(context.Background(), "u1", func(c *domain.Cart) error { return c.Add(b, 1) }); err != nil {
					t.Error(err)
				}
			})
		}
	})
	c, err := carts.Add(t.Context(), "u1", a.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Lines) != 2 || !c.Lines[0].Known || !c.Lines[1].Known || c.Subtotal.AmountMinor != 1200 || c.Version != 2 {
		t.Fatalf("cart = %+v", c)
	}
}
