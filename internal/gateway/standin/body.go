package standin

import (
	"fmt"
	"io"
	"net/http"

	"google.golang.org/grpc/codes"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// MaxBodyBytes bounds request bodies, as the services themselves do.
const MaxBodyBytes = 1 << 20

// readBody reads the whole request body, which is then forwarded with a
// known length; past MaxBodyBytes it answers 413 and returns false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.ContentLength > MaxBodyBytes {
		tooLarge(w, r)
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, codes.InvalidArgument, "could not read the request body")
		return nil, false
	}
	if len(body) > MaxBodyBytes {
		tooLarge(w, r)
		return nil, false
	}
	return body, true
}

// tooLarge is 413 with the services' body: retrying cannot help, so not 429.
func tooLarge(w http.ResponseWriter, r *http.Request) {
	// Unread body: close the connection rather than drain up to a huge length.
	w.Header().Set("Connection", "close")
	apperr.WriteHTTPStatus(w, r, http.StatusRequestEntityTooLarge, apperr.ToStatus(&apperr.Error{
		Kind: apperr.KindResourceExhausted, Message: "request body too large",
		Fields: []apperr.FieldViolation{{Field: "body", Reason: fmt.Sprintf("at most %d bytes", MaxBodyBytes)}}}))
}
