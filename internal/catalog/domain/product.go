// Package domain holds catalog's types and the validation rules every
// transport applies before the store is touched.
package domain

import "time"

// Money is an amount in the currency's minor units.
type Money struct {
	Currency    string
	AmountMinor int64
}

// Category groups products.
type Category struct {
	ID, Slug, Name, Description string
}

// Product is something the shop sells.
type Product struct {
	ID           string
	Slug         string
	Name         string
	Description  string
	Price        Money
	CategoryID   string
	CategorySlug string
	ImageURL     string
	Stock        int32
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NewProduct is what an admin sends to create a product.
type NewProduct struct {
	Slug, Name, Description string
	Price                   Money
	CategorySlug            string
	ImageURL                string
	Stock                   int32
}

// ProductPatch changes the fields that are non-nil.
type ProductPatch struct {
	Name, Description, CategorySlug, ImageURL *string
	Price                                     *Money
	Stock                                     *int32
}

// Empty reports a patch that changes nothing.
func (p ProductPatch) Empty() bool {
	return p.Name == nil && p.Description == nil && p.CategorySlug == nil &&
		p.ImageURL == nil && p.Price == nil && p.Stock == nil
}
