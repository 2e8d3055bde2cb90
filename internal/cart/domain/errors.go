package domain

import (
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// UnknownProduct is the error for a product id catalog does not know.
func UnknownProduct(id string) error {
	return &apperr.Error{Kind: apperr.KindNotFound, Message: fmt.Sprintf("product %q not found", id),
		Fields: []apperr.FieldViolation{{Field: "productId", Reason: "no such product in the catalog"}}}
}

// NotInCart is the error for a product the caller's cart has no line for.
// It is also what another user's product id looks like: carts are private.
func NotInCart(id string) error {
	return &apperr.Error{Kind: apperr.KindNotFound, Message: fmt.Sprintf("cart item %q not found", id),
		Fields: []apperr.FieldViolation{{Field: "productId", Reason: "is not in the cart"}}}
}

// failed is a request that is well-formed but cannot apply to the cart as
// it is (HTTP 400 FAILED_PRECONDITION).
func failed(field, reason string) error {
	return &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: field + " " + reason,
		Fields: []apperr.FieldViolation{{Field: field, Reason: reason}}}
}

func tooMany(inCart int32) error {
	return apperr.InvalidField("quantity",
		fmt.Sprintf("must be at most %d per product in total; the cart already holds %d", MaxQuantity, inCart))
}

func cartFull() error {
	return failed("productId", fmt.Sprintf("cannot be added: a cart holds at most %d different products", MaxLines))
}
