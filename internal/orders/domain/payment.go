package domain

// ChargeRequest asks a payment provider for an amount. IdempotencyKey makes
// a retried charge return the first result instead of charging twice.
type ChargeRequest struct {
	IdempotencyKey string
	Amount         Money
	Card           Card
}

// Charge is a captured payment.
type Charge struct {
	ID     string
	Amount Money
}

// DeclinedError is a refusal by the card issuer: final for this card.
type DeclinedError struct{ Reason string }

func (e *DeclinedError) Error() string { return "payment declined: " + e.Reason }
