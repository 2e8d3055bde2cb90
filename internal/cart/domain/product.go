package domain

import "fmt"

// Money is an amount in the currency's minor units.
type Money struct {
	Currency    string
	AmountMinor int64
}

// Product is what cart needs to know of a catalog product, as catalog has
// it now.
type Product struct {
	ID       string
	Slug     string
	Name     string
	ImageURL string
	Price    Money
	// Stock is how many units catalog can still reserve.
	Stock int32
}

// CheckAvailable refuses a quantity catalog could not sell now. Stock is
// not held for carts (checkout reserves it), so this only spares the user a
// failed checkout; it is checked again there.
func CheckAvailable(p Product, qty int32) error {
	switch {
	case p.Stock <= 0:
		return failed("productId", "is out of stock")
	case qty > p.Stock:
		return failed("quantity", fmt.Sprintf("only %d in stock", p.Stock))
	}
	return nil
}
