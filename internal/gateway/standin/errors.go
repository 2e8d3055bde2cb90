package standin

import (
	"context"
	"net/http"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// writeError answers with the services' JSON error body (code, message,
// requestId), so clients handle the stand-in's errors like any other.
func writeError(w http.ResponseWriter, r *http.Request, httpStatus int, code codes.Code, format string, args ...any) {
	apperr.WriteHTTPStatus(w, r, httpStatus, status.Newf(code, format, args...))
}

// backendFailed answers a backend call that got no response: 504 when the
// backend deadline (timeout) ran out, 499 when the client left, else 502.
// what names the backend, e.g. "catalog" or `part "featured" (catalog)`.
func backendFailed(w http.ResponseWriter, r *http.Request, what string, timedOut bool, timeout time.Duration) {
	switch {
	case r.Context().Err() != nil:
		// Nobody reads this; it keeps the access log honest.
		apperr.WriteHTTP(w, r, context.Canceled)
	case timedOut:
		writeError(w, r, http.StatusGatewayTimeout, codes.DeadlineExceeded, "%s did not answer within %s", what, timeout)
	default:
		writeError(w, r, http.StatusBadGateway, codes.Unavailable, "%s is unavailable", what)
	}
}
