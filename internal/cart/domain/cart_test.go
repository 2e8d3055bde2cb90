package domain

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func product(stock int32) Product {
	return Product{ID: uuid.NewString(), Name: "Storm Lantern", Price: Money{"EUR", 4500}, Stock: stock}
}

// wantErr checks an error's kind and that it names field with a reason
// containing text.
func wantErr(t *testing.T, err error, kind apperr.Kind, field, text string) {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Kind != kind {
		t.Fatalf("got %v, want kind %d", err, kind)
	}
	for _, f := range e.Fields {
		if f.Field == field && strings.Contains(f.Reason, text) {
			return
		}
	}
	t.Fatalf("%v does not name %s with %q", e.Fields, field, text)
}

func TestAddCreatesThenSumsALine(t *testing.T) {
	p := product(50)
	var c Cart
	if err := c.Add(p, 3); err != nil {
		t.Fatal(err)
	}
	if err := c.Add(p, 4); err != nil {
		t.Fatal(err)
	}
	if len(c.Lines) != 1 || c.Lines[0].Quantity != 7 {
		t.Fatalf("lines = %+v, want one line of 7", c.Lines)
	}
}

func TestAddRefusesTotalsOverTheLimitsAndChangesNothing(t *testing.T) {
	p := product(200)
	c := Cart{Lines: []Line{{ProductID: p.ID, Quantity: 90}}}
	wantErr(t, c.Add(p, 10), apperr.KindInvalidArgument, "quantity", "at most 99")
	if c.Lines[0].Quantity != 90 {
		t.Fatalf("quantity changed to %d", c.Lines[0].Quantity)
	}
	if err := c.Add(p, 9); err != nil || c.Lines[0].Quantity != 99 {
		t.Fatalf("exactly 99 must fit: %v, %d", err, c.Lines[0].Quantity)
	}
}

func TestAddChecksStockAgainstTheTotal(t *testing.T) {
	wantErr(t, (&Cart{}).Add(product(0), 1), apperr.KindFailedPrecondition, "productId", "out of stock")
	p := product(5)
	c := Cart{Lines: []Line{{ProductID: p.ID, Quantity: 4}}}
	wantErr(t, c.Add(p, 2), apperr.KindFailedPrecondition, "quantity", "only 5 in stock")
	if err := c.Add(p, 1); err != nil {
		t.Fatalf("4+1 of 5 in stock: %v", err)
	}
}

func TestAddRefusesTheLineAfterTheLast(t *testing.T) {
	var c Cart
	for range MaxLines {
		if err := c.Add(product(10), 1); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, c.Add(product(10), 1), apperr.KindFailedPrecondition, "productId", "at most 50")
	// A full cart still takes more of what it holds.
	if err := c.Add(Product{ID: c.Lines[0].ProductID, Stock: 10}, 1); err != nil {
		t.Fatalf("existing line in a full cart: %v", err)
	}
}

func TestSetAndRemoveNeedTheLine(t *testing.T) {
	p := product(10)
	var c Cart
	wantErr(t, c.Set(p, 2), apperr.KindNotFound, "productId", "not in the cart")
	wantErr(t, c.Remove(p.ID), apperr.KindNotFound, "productId", "not in the cart")
	_ = c.Add(p, 1)
	other := product(10)
	_ = c.Add(other, 1)
	if err := c.Set(p, 8); err != nil || c.Lines[0].Quantity != 8 {
		t.Fatalf("set: %v %+v", err, c.Lines)
	}
	wantErr(t, c.Set(p, 11), apperr.KindFailedPrecondition, "quantity", "only 10 in stock")
	if err := c.Remove(p.ID); err != nil || len(c.Lines) != 1 || c.Lines[0].ProductID != other.ID {
		t.Fatalf("remove: %v %+v", err, c.Lines)
	}
}
