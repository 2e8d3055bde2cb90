// Package domain holds orders' types, the status rules and input validation.
package domain

import (
	"fmt"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Money is an amount in the currency's minor units.
type Money struct {
	Currency    string
	AmountMinor int64
}

// Status is where an order is in its life.
type Status string

// Orders are created paid; they move forward to delivered, or are cancelled
// while still paid. Cancelling is the step in between while the payment is
// refunded and the stock released: a cancel that was started can only be
// finished.
const (
	StatusPaid       Status = "paid"
	StatusShipped    Status = "shipped"
	StatusDelivered  Status = "delivered"
	StatusCancelling Status = "cancelling"
	StatusCancelled  Status = "cancelled"
)

var nextStatuses = map[Status][]Status{
	StatusPaid:       {StatusShipped, StatusCancelled},
	StatusShipped:    {StatusDelivered},
	StatusCancelling: {StatusCancelled},
}

// CheckTransition reports whether an order may move from one status to another.
func CheckTransition(from, to Status) error {
	for _, s := range nextStatuses[from] {
		if s == to {
			return nil
		}
	}
	return &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: fmt.Sprintf("an order that is %s cannot become %s", from, to),
		Fields: []apperr.FieldViolation{{Field: "status", Reason: fmt.Sprintf("not allowed after %s", from)}}}
}

// Line is one product of an order, priced when the order was placed.
type Line struct {
	ProductID string
	Slug      string
	Name      string
	UnitPrice int64
	Quantity  int32
}

// Total is the line's price.
func (l Line) Total() int64 { return l.UnitPrice * int64(l.Quantity) }

// Order is a placed order.
type Order struct {
	ID            string
	UserID        string
	Status        Status
	Lines         []Line
	Total         Money
	CardLast4     string
	PaymentID     string
	PaymentKey    string
	ReservationID string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// CartItem is a product and quantity taken from the cart at checkout.
type CartItem struct {
	ProductID string `json:"productId"`
	Quantity  int32  `json:"quantity"`
}
