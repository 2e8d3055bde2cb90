package domain

import "time"

// ReservationStatus is where a reservation is in its life.
type ReservationStatus string

// A reservation starts held; confirm makes it permanent; release or expiry
// gives its stock back.
const (
	StatusHeld      ReservationStatus = "held"
	StatusConfirmed ReservationStatus = "confirmed"
	StatusReleased  ReservationStatus = "released"
	StatusExpired   ReservationStatus = "expired"
)

// StockItem is a quantity of one product.
type StockItem struct {
	ProductID string
	Quantity  int32
}

// Reservation holds stock for an order being placed.
type Reservation struct {
	ID        string
	Status    ReservationStatus
	Items     []StockItem
	ExpiresAt time.Time
}

// Reservation lifetimes.
const (
	DefaultReservationTTL = 15 * time.Minute
	MaxReservationTTL     = time.Hour
)
