package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
)

func TestListProductsPagesThroughEverythingOnce(t *testing.T) {
	st, _ := newStore(t)
	seen := map[string]bool{}
	after, pages := "", 0
	for {
		page, more, err := st.ListProducts(context.Background(), "", after, 7)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, p := range page {
			if seen[p.Slug] {
				t.Fatalf("%s listed twice", p.Slug)
			}
			seen[p.Slug] = true
		}
		if !more {
			break
		}
		after = page[len(page)-1].Slug
	}
	if len(seen) != len(seed.Products) || pages != (len(seed.Products)+6)/7 {
		t.Fatalf("saw %d products in %d pages, want %d", len(seen), pages, len(seed.Products))
	}
}

func TestListProductsFiltersByCategory(t *testing.T) {
	st, _ := newStore(t)
	page, more, err := st.ListProducts(context.Background(), "galley", "", 100)
	if err != nil || more {
		t.Fatal(err, more)
	}
	if len(page) != 5 {
		t.Fatalf("galley has %d products, want 5", len(page))
	}
	for _, p := range page {
		if p.CategorySlug != "galley" {
			t.Fatalf("%s is in %s", p.Slug, p.CategorySlug)
		}
	}
	if _, _, err := st.ListProducts(context.Background(), "no-such-category", "", 10); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown category = %v, want ErrNotFound", err)
	}
}

func TestGetProductByIDOrSlug(t *testing.T) {
	st, _ := newStore(t)
	bySlug, err := st.GetProduct(context.Background(), "storm-lantern")
	if err != nil {
		t.Fatal(err)
	}
	byID, err := st.GetProduct(context.Background(), bySlug.ID)
	if err != nil || byID.Slug != "storm-lantern" || byID.Price != (domain.Money{Currency: "EUR", AmountMinor: 3290}) {
		t.Fatalf("by id = %+v, %v", byID, err)
	}
	if _, err := st.GetProduct(context.Background(), "no-such-thing"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown slug = %v, want ErrNotFound", err)
	}
}

func TestSearchRanksNameMatchesFirst(t *testing.T) {
	st, _ := newStore(t)
	// "lantern" is in the storm lantern's name and only in descriptions elsewhere.
	got, _, err := st.Search(context.Background(), "lantern", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Slug != "storm-lantern" {
		t.Fatalf("first result = %v, want storm-lantern", got)
	}
	none, _, err := st.Search(context.Background(), "xylophone", 0, 10)
	if err != nil || len(none) != 0 {
		t.Fatalf("unmatched query returned %d results, %v", len(none), err)
	}
	// Web-search syntax: exclusion.
	excl, _, err := st.Search(context.Background(), "light -anchor", 0, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range excl {
		if p.Slug == "led-anchor-light" {
			t.Fatal("-anchor did not exclude the anchor light")
		}
	}
}

func TestCreateAndUpdateProduct(t *testing.T) {
	st, _ := newStore(t)
	np := domain.NewProduct{Slug: "sea-chest", Name: "Sea Chest", Description: "Oak chest with rope handles.",
		Price: domain.Money{Currency: "EUR", AmountMinor: 19900}, CategorySlug: "deck-gear", Stock: 3}
	p, err := st.CreateProduct(context.Background(), np)
	if err != nil || p.CategorySlug != "deck-gear" || p.Stock != 3 {
		t.Fatalf("create = %+v, %v", p, err)
	}
	if _, err := st.CreateProduct(context.Background(), np); !errors.Is(err, domain.ErrSlugTaken) {
		t.Fatalf("duplicate slug = %v, want ErrSlugTaken", err)
	}
	np.Slug, np.CategorySlug = "sea-chest-2", "no-such-category"
	if _, err := st.CreateProduct(context.Background(), np); !errors.Is(err, domain.ErrUnknownCategory) {
		t.Fatalf("unknown category = %v, want ErrUnknownCategory", err)
	}
	name, stock := "Oak Sea Chest", int32(7)
	up, err := st.UpdateProduct(context.Background(), p.ID, domain.ProductPatch{Name: &name, Stock: &stock})
	if err != nil || up.Name != name || up.Stock != 7 || up.Description != np.Description || !up.UpdatedAt.After(p.UpdatedAt) {
		t.Fatalf("update = %+v, %v", up, err)
	}
	other := "no-such-category"
	if _, err := st.UpdateProduct(context.Background(), p.ID, domain.ProductPatch{CategorySlug: &other}); !errors.Is(err, domain.ErrUnknownCategory) {
		t.Fatalf("update to an unknown category = %v, want ErrUnknownCategory", err)
	}
	if _, err := st.UpdateProduct(context.Background(), uuid.NewString(), domain.ProductPatch{Name: &name}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update of an unknown product = %v, want ErrNotFound", err)
	}
}

func TestSeedIsIdempotentAndKeepsStock(t *testing.T) {
	st, pool := newStore(t)
	setStock(t, pool, lantern, 2)
	res, err := seed.Load(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	if res != (seed.Result{}) {
		t.Fatalf("re-seed changed %+v, want nothing", res)
	}
	if got := stockOf(t, pool, lantern); got != 2 {
		t.Fatalf("re-seed reset stock to %d", got)
	}
	cats, err := st.ListCategories(context.Background())
	if err != nil || len(cats) != len(seed.Categories) || len(cats) < 4 || len(seed.Products) < 24 {
		t.Fatalf("categories = %d, %v", len(cats), err)
	}
}
