package domain

import (
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestPriceSumsLinesAndUnits(t *testing.T) {
	a, b := product(10), product(10)
	b.Price = Money{"EUR", 1250}
	c := Cart{Lines: []Line{{ProductID: a.ID, Quantity: 2}, {ProductID: b.ID, Quantity: 3}}}
	pc, err := Price(c, map[string]Product{a.ID: a, b.ID: b})
	if err != nil {
		t.Fatal(err)
	}
	if pc.Subtotal != (Money{"EUR", 2*4500 + 3*1250}) || pc.ItemCount != 5 {
		t.Fatalf("subtotal %v, items %d", pc.Subtotal, pc.ItemCount)
	}
	if pc.Lines[1].LineTotal != (Money{"EUR", 3750}) || !pc.Lines[1].Known || pc.Lines[1].Product.Name == "" {
		t.Fatalf("line = %+v", pc.Lines[1])
	}
}

func TestPriceKeepsLinesCatalogNoLongerHas(t *testing.T) {
	a := product(10)
	c := Cart{Lines: []Line{{ProductID: "gone", Quantity: 4}, {ProductID: a.ID, Quantity: 1}}}
	pc, err := Price(c, map[string]Product{a.ID: a})
	if err != nil {
		t.Fatal(err)
	}
	if pc.Lines[0].Known || pc.Lines[0].Quantity != 4 || pc.Subtotal != (Money{"EUR", 4500}) || pc.ItemCount != 5 {
		t.Fatalf("priced = %+v", pc)
	}
	empty, err := Price(Cart{}, nil)
	if err != nil || empty.Subtotal != (Money{}) || len(empty.Lines) != 0 {
		t.Fatalf("empty cart: %+v %v", empty, err)
	}
}

func TestPriceRefusesMixedCurrencies(t *testing.T) {
	a, b := product(10), product(10)
	b.Price.Currency = "USD"
	c := Cart{Lines: []Line{{ProductID: a.ID, Quantity: 1}, {ProductID: b.ID, Quantity: 1}}}
	_, err := Price(c, map[string]Product{a.ID: a, b.ID: b})
	if !apperr.Is(err, apperr.KindFailedPrecondition) {
		t.Fatalf("got %v, want FailedPrecondition", err)
	}
}
