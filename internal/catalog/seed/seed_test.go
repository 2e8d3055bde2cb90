package seed

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

func TestDemoCatalogIsValid(t *testing.T) {
	if len(Products) < 24 || len(Categories) < 4 {
		t.Fatalf("%d products in %d categories; want at least 24 in 4", len(Products), len(Categories))
	}
	cats := map[string]bool{}
	for _, c := range Categories {
		cats[c.Slug] = true
	}
	slugs := map[string]bool{}
	for _, p := range Products {
		np := domain.NewProduct{Slug: p.Slug, Name: p.Name, Description: p.Description, CategorySlug: p.Category,
			Price: domain.Money{Currency: "EUR", AmountMinor: p.PriceCents}, ImageURL: ImagePath(p.Slug), Stock: p.Stock}
		if err := domain.ValidateNewProduct(np); err != nil {
			t.Errorf("%s: %v", p.Slug, err)
		}
		if !cats[p.Category] || slugs[p.Slug] {
			t.Errorf("%s: unknown category %q or duplicate slug", p.Slug, p.Category)
		}
		slugs[p.Slug] = true
	}
}

func TestIDsAreStableAndDistinct(t *testing.T) {
	if ID("product", "storm-lantern") != ID("product", "storm-lantern") || ID("product", "x") == ID("category", "x") {
		t.Fatal("ids must be a pure function of kind and slug")
	}
	if !domain.ValidID(ID("product", "storm-lantern")) {
		t.Fatal("seed ids must be canonical UUIDs")
	}
}

func TestImagesAreWellFormedSVG(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /v1/images/{file}", ImageHandler())
	for _, p := range Products {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/images/"+p.Slug+".svg", nil))
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s: %d %s", p.Slug, rec.Code, rec.Header().Get("Content-Type"))
		}
		dec := xml.NewDecoder(strings.NewReader(rec.Body.String()))
		for {
			if _, err := dec.Token(); err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("%s: not well-formed XML: %v", p.Slug, err)
				}
				break
			}
		}
	}
	// "&" in a name must be escaped, and unknown or non-SVG names are 404.
	if !strings.Contains(svg(Product{Slug: "a", Name: "Rope & Rigging"}, "#000"), "Rope &amp; Rigging") {
		t.Fatal("names must be XML-escaped")
	}
	for _, path := range []string{"/v1/images/unknown.svg", "/v1/images/storm-lantern.png"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 404 {
			t.Fatalf("%s: %d, want 404", path, rec.Code)
		}
	}
}
