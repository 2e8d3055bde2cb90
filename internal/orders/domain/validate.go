package domain

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Paging limits of the public API.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// IdempotencyKeyField names the key in errors: it arrives as a header.
const IdempotencyKeyField = "Idempotency-Key"

// ValidateIdempotencyKey requires a key of 1..255 visible ASCII characters.
func ValidateIdempotencyKey(key string) error {
	if key == "" {
		return apperr.InvalidField(IdempotencyKeyField, "header is required: send a new unique value per checkout attempt")
	}
	if len(key) > 255 {
		return apperr.InvalidField(IdempotencyKeyField, "must be at most 255 characters")
	}
	for _, r := range key {
		if r < 0x21 || r > 0x7e {
			return apperr.InvalidField(IdempotencyKeyField, "must be visible ASCII characters")
		}
	}
	return nil
}

// RequireID validates a canonical UUID field.
func RequireID(field, id string) error {
	if u, err := uuid.Parse(id); err != nil || u.String() != id {
		return apperr.InvalidField(field, "must be a UUID")
	}
	return nil
}

// PageSize validates a requested page size; 0 means the default.
func PageSize(n int32) (int, error) {
	switch {
	case n == 0:
		return DefaultPageSize, nil
	case n < 0:
		return 0, apperr.InvalidField("pageSize", "must not be negative")
	case n > MaxPageSize:
		return 0, apperr.InvalidField("pageSize", fmt.Sprintf("must be at most %d", MaxPageSize))
	}
	return int(n), nil
}
