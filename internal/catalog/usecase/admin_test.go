package usecase_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func newChest() domain.NewProduct {
	return domain.NewProduct{Slug: "sea-chest", Name: "Sea Chest", Description: "Oak chest with rope handles.",
		Price: domain.Money{Currency: "EUR", AmountMinor: 19900}, CategorySlug: "deck-gear", Stock: 3}
}

func TestCreateProductRefusesTakenSlugsAndUnknownCategories(t *testing.T) {
	f := setup(t)
	p, err := f.catalog.CreateProduct(t.Context(), newChest())
	if err != nil || p.Slug != "sea-chest" || p.Stock != 3 {
		t.Fatalf("create = %+v, %v", p, err)
	}
	_, err = f.catalog.CreateProduct(t.Context(), newChest())
	wantError(t, "taken slug", err, apperr.KindAlreadyExists, "slug")
	np := newChest()
	np.Slug, np.CategorySlug = "sea-chest-2", "no-such-category"
	_, err = f.catalog.CreateProduct(t.Context(), np)
	wantError(t, "unknown category", err, apperr.KindInvalidArgument, "category")
	np.CategorySlug, np.Stock = "deck-gear", -1
	_, err = f.catalog.CreateProduct(t.Context(), np)
	wantError(t, "negative stock", err, apperr.KindInvalidArgument, "stock")
}

func TestUpdateProductIsSeenAtOnceThroughTheCache(t *testing.T) {
	f := setup(t)
	if got := f.cachedStock(t, lantern); got == 7 {
		t.Fatal("the seeded stock is already 7: pick another value")
	}
	stock := int32(7)
	up, err := f.catalog.UpdateProduct(t.Context(), lantern, domain.ProductPatch{Stock: &stock})
	if err != nil || up.Stock != 7 {
		t.Fatalf("update = %+v, %v", up, err)
	}
	if got := f.cachedStock(t, "storm-lantern"); got != 7 {
		t.Fatalf("stock read by slug after the update = %d, want 7 (cache invalidated)", got)
	}
	_, err = f.catalog.UpdateProduct(t.Context(), uuid.NewString(), domain.ProductPatch{Stock: &stock})
	wantError(t, "unknown product", err, apperr.KindNotFound, "")
	other := "no-such-category"
	_, err = f.catalog.UpdateProduct(t.Context(), lantern, domain.ProductPatch{CategorySlug: &other})
	wantError(t, "unknown category", err, apperr.KindInvalidArgument, "category")
	_, err = f.catalog.UpdateProduct(t.Context(), lantern, domain.ProductPatch{})
	wantError(t, "empty patch", err, apperr.KindInvalidArgument, "body")
}
