package domain

import (
	"errors"
	"fmt"
)

// What the store reports for expected misses: plain sentinels, never a
// client-facing message (the use cases build those). Which product,
// category or reservation ErrNotFound means follows from the call.
var (
	ErrNotFound          = errors.New("not found")
	ErrSlugTaken         = errors.New("slug taken")
	ErrUnknownCategory   = errors.New("unknown category")
	ErrInsufficientStock = errors.New("insufficient stock")
)

// ItemError says which item of a reservation (by its index in the
// normalized, sorted items) could not be taken and why: Err is ErrNotFound
// (no such product) or ErrInsufficientStock (Left units remain).
type ItemError struct {
	Index int
	Left  int32
	Err   error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %d: %v", e.Index, e.Err) }
func (e *ItemError) Unwrap() error { return e.Err }
