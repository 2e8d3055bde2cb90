// Package domain holds cart's types and rules: what a valid request is, how
// a change applies to a cart, and how a cart is priced from catalog's
// current products. It knows nothing of transports or storage.
package domain

import (
	"slices"
	"time"
)

// Limits of one cart.
const (
	MaxQuantity = 99 // units of one product
	MaxLines    = 50 // different products
)

// Cart is one user's stored cart.
type Cart struct {
	UserID string
	Lines  []Line // in the order they were added
	// Version increases with every change; 0 is a cart never changed.
	Version   int64
	UpdatedAt time.Time
}

// Line is a quantity of one catalog product.
type Line struct {
	ProductID string
	Quantity  int32
	AddedAt   time.Time
}

// index returns the position of the product's line, or -1.
func (c *Cart) index(productID string) int {
	return slices.IndexFunc(c.Lines, func(l Line) bool { return l.ProductID == productID })
}

// ProductIDs lists the products in the cart.
func (c *Cart) ProductIDs() []string {
	ids := make([]string, len(c.Lines))
	for i, l := range c.Lines {
		ids[i] = l.ProductID
	}
	return ids
}

// Add adds qty units of p, creating its line. The resulting quantity must
// stay within MaxQuantity and what catalog can still sell.
func (c *Cart) Add(p Product, qty int32) error {
	i := c.index(p.ID)
	total := qty
	if i >= 0 {
		total += c.Lines[i].Quantity
	}
	if total > MaxQuantity {
		return tooMany(total - qty)
	}
	if err := CheckAvailable(p, total); err != nil {
		return err
	}
	if i >= 0 {
		c.Lines[i].Quantity = total
		return nil
	}
	if len(c.Lines) >= MaxLines {
		return cartFull()
	}
	c.Lines = append(c.Lines, Line{ProductID: p.ID, Quantity: total})
	return nil
}

// Set changes the quantity of p's existing line.
func (c *Cart) Set(p Product, qty int32) error {
	i := c.index(p.ID)
	if i < 0 {
		return NotInCart(p.ID)
	}
	if err := CheckAvailable(p, qty); err != nil {
		return err
	}
	c.Lines[i].Quantity = qty
	return nil
}

// Remove deletes the product's line.
func (c *Cart) Remove(productID string) error {
	i := c.index(productID)
	if i < 0 {
		return NotInCart(productID)
	}
	c.Lines = slices.Delete(c.Lines, i, i+1)
	return nil
}
