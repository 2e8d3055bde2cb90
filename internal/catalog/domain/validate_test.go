package domain

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// field returns the single field an error names, or fails.
func field(t *testing.T, err error) string {
	t.Helper()
	e := apperr.As(err)
	if e.Kind != apperr.KindInvalidArgument || len(e.Fields) == 0 {
		t.Fatalf("err = %v, want InvalidArgument with fields", err)
	}
	return e.Fields[0].Field
}

func TestPageSize(t *testing.T) {
	for in, want := range map[int32]int{0: 20, 1: 1, 100: 100} {
		if got, err := PageSize("pageSize", in); err != nil || got != want {
			t.Errorf("PageSize(%d) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []int32{-1, 101, 1 << 30} {
		_, err := PageSize("pageSize", bad)
		if field(t, err) != "pageSize" {
			t.Errorf("PageSize(%d) did not name pageSize", bad)
		}
	}
}

func TestIDsAndSlugs(t *testing.T) {
	good := "0f8fad5b-d9cb-469f-a165-70867728950e"
	if !ValidID(good) || ValidID(strings.ToUpper(good)) || ValidID("0f8fad5bd9cb469fa16570867728950e") || ValidID("x") {
		t.Fatal("ValidID accepts only canonical lowercase UUIDs")
	}
	for _, s := range []string{"a", "storm-lantern", "dry-bag-20l"} {
		if !ValidSlug(s) {
			t.Errorf("%q should be a slug", s)
		}
	}
	for _, s := range []string{"", "-a", "a-", "a--b", "A", "a b", "a/b", strings.Repeat("a", 101)} {
		if ValidSlug(s) {
			t.Errorf("%q should not be a slug", s)
		}
	}
	if field(t, ValidateIDOrSlug("idOrSlug", "../etc")) != "idOrSlug" {
		t.Fatal("bad id or slug must name idOrSlug")
	}
}

func TestNormalizeItems(t *testing.T) {
	a, b := "0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	got, err := NormalizeItems("items", []StockItem{{b, 1}, {a, 2}})
	if err != nil || got[0].ProductID != a || got[1].ProductID != b {
		t.Fatalf("items not sorted by product: %v, %v", got, err)
	}
	cases := map[string][]StockItem{
		"items":              nil,
		"items[0].quantity":  {{a, 0}},
		"items[1].quantity":  {{a, 1}, {b, -3}},
		"items[0].productId": {{"nope", 1}},
		"items[1].productId": {{a, 1}, {a, 1}},
	}
	for want, in := range cases {
		if _, err := NormalizeItems("items", in); field(t, err) != want {
			t.Errorf("%v: named %q, want %q", in, field(t, err), want)
		}
	}
}

func TestValidateNewProductReportsEveryField(t *testing.T) {
	err := ValidateNewProduct(NewProduct{Slug: "Bad Slug", Price: Money{Currency: "eur", AmountMinor: -1},
		ImageURL: "javascript:alert(1)", Stock: -1})
	got := map[string]bool{}
	for _, f := range apperr.As(err).Fields {
		got[f.Field] = true
	}
	for _, want := range []string{"slug", "name", "price.currencyCode", "price.amountMinor", "category", "imageUrl", "stock"} {
		if !got[want] {
			t.Errorf("missing violation for %s (got %v)", want, got)
		}
	}
	ok := NewProduct{Slug: "sea-chest", Name: "Sea Chest", Price: Money{"EUR", 100}, CategorySlug: "deck-gear", ImageURL: "/api/v1/images/x.svg"}
	if err := ValidateNewProduct(ok); err != nil {
		t.Fatal(err)
	}
	ok.ImageURL = "//evil.example/x.png"
	if field(t, ValidateNewProduct(ok)) != "imageUrl" {
		t.Fatal("protocol-relative URL must be refused")
	}
}

func TestValidateProductPatch(t *testing.T) {
	if field(t, ValidateProductPatch("0f8fad5b-d9cb-469f-a165-70867728950e", ProductPatch{})) != "body" {
		t.Fatal("an empty patch must be refused")
	}
	neg := int32(-5)
	if field(t, ValidateProductPatch("0f8fad5b-d9cb-469f-a165-70867728950e", ProductPatch{Stock: &neg})) != "stock" {
		t.Fatal("negative stock must be refused")
	}
}

func TestReservationTTL(t *testing.T) {
	if d, err := ReservationTTL("ttlSeconds", 0); err != nil || d != DefaultReservationTTL {
		t.Fatal(d, err)
	}
	for _, bad := range []int32{-1, 3601} {
		if _, err := ReservationTTL("ttlSeconds", bad); field(t, err) != "ttlSeconds" {
			t.Fatalf("ttl %d accepted", bad)
		}
	}
}

func TestCursorRoundTripAndBinding(t *testing.T) {
	tok := EncodeCursor(Cursor{After: "storm-lantern", Filter: "category=lighting"})
	c, err := DecodeCursor("pageToken", tok, "category=lighting")
	if err != nil || c.After != "storm-lantern" {
		t.Fatalf("round trip = %+v, %v", c, err)
	}
	if _, err := DecodeCursor("pageToken", tok, "category=galley"); field(t, err) != "pageToken" {
		t.Fatal("a token must not work for another filter")
	}
	for _, bad := range []string{"!!!", "e30x", EncodeCursor(Cursor{Offset: -1})} {
		if _, err := DecodeCursor("pageToken", bad, ""); field(t, err) != "pageToken" {
			t.Fatalf("token %q accepted", bad)
		}
	}
}
