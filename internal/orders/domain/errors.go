package domain

import "errors"

// What the store and the payment provider report for expected cases: plain
// sentinels, never a client-facing message (the use cases build those).
var (
	// ErrNotFound: no such checkout or order.
	ErrNotFound = errors.New("not found")
	// ErrLeaseLost: the checkout is no longer pending under the caller's
	// lease (it was settled, or taken over after the lease ran out).
	ErrLeaseLost = errors.New("the checkout is not pending under this lease")
	// ErrNoCharge: the provider has no charge for the idempotency key.
	ErrNoCharge = errors.New("payment: no charge for this key")
)
