package upstream

import (
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// fromStatus turns an upstream gRPC status back into the shared error model,
// keeping its field violations, so checkout can tell "not enough stock"
// from "catalog is down".
func fromStatus(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return apperr.Unavailable(err)
	}
	kind := apperr.KindOf(st.Code())
	if kind == apperr.KindInternal {
		// An upstream's internal error, a deadline or a cancellation is
		// an outage for us: the caller may retry.
		kind = apperr.KindUnavailable
	}
	return &apperr.Error{Kind: kind, Message: st.Message(), Fields: apperr.FieldsOf(st), Err: err}
}

// fromServiceStatus is fromStatus for a service orders calls as itself
// (catalog's stock methods take only orders' service token): a refusal of
// orders' identity is a fault of this deployment, not of the shopper's
// request, so the shopper sees an outage and the cause stays in our logs.
func fromServiceStatus(err error) error {
	err = fromStatus(err)
	if apperr.Is(err, apperr.KindUnauthenticated) || apperr.Is(err, apperr.KindPermissionDenied) {
		return apperr.Unavailable(err)
	}
	return err
}
