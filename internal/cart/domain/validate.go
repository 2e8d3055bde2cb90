package domain

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ValidateProductID accepts a UUID in canonical form (lowercase,
// hyphenated), the only form catalog returns, so ids compare as strings and
// one product can never occupy two lines.
func ValidateProductID(id string) error {
	if id == "" {
		return apperr.InvalidField("productId", "is required")
	}
	if u, err := uuid.Parse(id); err != nil || u.String() != id {
		return apperr.InvalidField("productId", "must be a UUID in canonical form")
	}
	return nil
}

// ValidateItem checks a product id and a quantity to add or set, reporting
// both problems at once.
func ValidateItem(productID string, qty int32) error {
	var v apperr.Violations
	if err := ValidateProductID(productID); err != nil {
		v = append(v, apperr.As(err).Fields...)
	}
	switch {
	case qty < 1:
		v.Add("quantity", "must be at least 1")
	case qty > MaxQuantity:
		v.Add("quantity", fmt.Sprintf("must be at most %d", MaxQuantity))
	}
	return v.Err()
}

// ValidateIfVersion checks ClearCart's condition; 0 means unconditional.
func ValidateIfVersion(v int64) error {
	if v < 0 {
		return apperr.InvalidField("ifVersion", "must not be negative")
	}
	return nil
}
