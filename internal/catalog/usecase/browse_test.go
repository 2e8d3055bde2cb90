package usecase_test

import (
	"testing"

	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/catalog/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestListProductsPagesWithTokensBoundToTheCategory(t *testing.T) {
	f := setup(t)
	seen := map[string]bool{}
	q := usecase.ListQuery{Category: "galley", PageSize: 2}
	for {
		page, err := f.catalog.ListProducts(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Products {
			if seen[p.Slug] || p.CategorySlug != "galley" {
				t.Fatalf("%s (%s) listed twice or out of its category", p.Slug, p.CategorySlug)
			}
			seen[p.Slug] = true
		}
		if page.NextPageToken == "" {
			break
		}
		q.PageToken = page.NextPageToken
	}
	if len(seen) != 5 {
		t.Fatalf("galley listed %d products, want 5", len(seen))
	}
	// The last token used on another category is refused.
	_, err := f.catalog.ListProducts(t.Context(), usecase.ListQuery{Category: "lighting", PageToken: q.PageToken})
	wantError(t, "token of another category", err, apperr.KindInvalidArgument, "pageToken")
}

func TestListProductsRefusesBadInput(t *testing.T) {
	f := setup(t)
	for _, tc := range []struct {
		q     usecase.ListQuery
		kind  apperr.Kind
		field string
	}{
		{usecase.ListQuery{PageSize: 101}, apperr.KindInvalidArgument, "pageSize"},
		{usecase.ListQuery{PageSize: -1}, apperr.KindInvalidArgument, "pageSize"},
		{usecase.ListQuery{Category: "Not A Slug"}, apperr.KindInvalidArgument, "category"},
		{usecase.ListQuery{PageToken: "forged"}, apperr.KindInvalidArgument, "pageToken"},
		{usecase.ListQuery{Category: "no-such-category"}, apperr.KindNotFound, ""},
	} {
		_, err := f.catalog.ListProducts(t.Context(), tc.q)
		wantError(t, tc.q.Category+tc.q.PageToken, err, tc.kind, tc.field)
	}
}

func TestSearchPagesByRank(t *testing.T) {
	f := setup(t)
	// The query is trimmed, and the token binds the trimmed query.
	first, err := f.catalog.SearchProducts(t.Context(), usecase.SearchQuery{Q: "  light ", PageSize: 1})
	if err != nil || len(first.Products) != 1 || first.NextPageToken == "" {
		t.Fatalf("first page = %+v, %v", first, err)
	}
	second, err := f.catalog.SearchProducts(t.Context(), usecase.SearchQuery{Q: "light", PageSize: 1, PageToken: first.NextPageToken})
	if err != nil || len(second.Products) != 1 || second.Products[0].ID == first.Products[0].ID {
		t.Fatalf("second page = %+v, %v; want the next product", second, err)
	}
	_, err = f.catalog.SearchProducts(t.Context(), usecase.SearchQuery{Q: "kettle", PageToken: first.NextPageToken})
	wantError(t, "token of another query", err, apperr.KindInvalidArgument, "pageToken")
	_, err = f.catalog.SearchProducts(t.Context(), usecase.SearchQuery{Q: "   "})
	wantError(t, "blank query", err, apperr.KindInvalidArgument, "q")
}

func TestGetProductByIDOrSlug(t *testing.T) {
	f := setup(t)
	p, err := f.catalog.GetProduct(t.Context(), "storm-lantern")
	if err != nil || p.ID != lantern {
		t.Fatalf("by slug = %+v, %v", p, err)
	}
	_, err = f.catalog.GetProduct(t.Context(), "no-such-product")
	wantError(t, "unknown slug", err, apperr.KindNotFound, "")
	if apperr.As(err).Message != `product "no-such-product" not found` {
		t.Fatalf("message %q", apperr.As(err).Message)
	}
	_, err = f.catalog.GetProduct(t.Context(), "Not_A_Slug")
	wantError(t, "malformed", err, apperr.KindInvalidArgument, "idOrSlug")
	cats, err := f.catalog.ListCategories(t.Context())
	if err != nil || len(cats) != len(seed.Categories) {
		t.Fatalf("categories = %d, %v", len(cats), err)
	}
}
