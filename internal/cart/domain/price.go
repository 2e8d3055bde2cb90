package domain

import (
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// PricedLine is a line with its product as catalog has it now. Known is
// false when catalog no longer has the product: the line stays visible
// (quantity only, nothing available) so the user can remove it.
type PricedLine struct {
	Line
	Product   Product
	Known     bool
	LineTotal Money
}

// PricedCart is a cart as the API shows it.
type PricedCart struct {
	Cart
	Lines []PricedLine
	// Subtotal sums the known lines; its currency is empty for a cart with
	// no known lines.
	Subtotal Money
	// ItemCount is the number of units, over all lines.
	ItemCount int32
}

// Price combines c with current products (by id). All prices must share one
// currency: there is no conversion, so a mixed cart cannot be totalled.
func Price(c Cart, products map[string]Product) (PricedCart, error) {
	out := PricedCart{Cart: c, Lines: make([]PricedLine, len(c.Lines))}
	for i, l := range c.Lines {
		pl := PricedLine{Line: l}
		out.ItemCount += l.Quantity
		if p, ok := products[l.ProductID]; ok {
			pl.Product, pl.Known = p, true
			pl.LineTotal = Money{Currency: p.Price.Currency, AmountMinor: p.Price.AmountMinor * int64(l.Quantity)}
			if out.Subtotal.Currency == "" {
				out.Subtotal.Currency = p.Price.Currency
			} else if out.Subtotal.Currency != p.Price.Currency {
				return PricedCart{}, apperr.New(apperr.KindFailedPrecondition,
					"the cart mixes currencies (%s and %s) and cannot be totalled; remove one of the products", out.Subtotal.Currency, p.Price.Currency)
			}
			out.Subtotal.AmountMinor += pl.LineTotal.AmountMinor
		}
		out.Lines[i] = pl
	}
	return out, nil
}

// String is for logs and test failures.
func (m Money) String() string { return fmt.Sprintf("%d %s", m.AmountMinor, m.Currency) }
