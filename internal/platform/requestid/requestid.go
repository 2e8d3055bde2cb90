// Package requestid assigns every inbound request an id, carries it in the
// context, echoes it to the caller and propagates it to downstream services.
package requestid

import (
	"context"

	"github.com/google/uuid"
)

const (
	// Header is the HTTP header carrying the id.
	Header = "X-Request-Id"
	// MetadataKey is the gRPC metadata key carrying the id (lower case, as
	// gRPC metadata keys are normalised to lower case).
	MetadataKey = "x-request-id"
)

// maxLen bounds ids taken from clients so they cannot bloat every log line.
const maxLen = 128

type ctxKey struct{}

// NewContext returns a copy of ctx carrying id.
func NewContext(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the id in ctx, or "" if there is none.
func FromContext(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// New returns a fresh random id.
func New() string {
	return uuid.NewString()
}

// Valid reports whether id is acceptable from an untrusted caller: 1..128
// bytes of printable ASCII without spaces. Anything else could inject
// control characters or fake fields into logs, so it is replaced.
func Valid(id string) bool {
	if len(id) == 0 || len(id) > maxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// orNew returns id if it is valid and a fresh id otherwise.
func orNew(id string) string {
	if Valid(id) {
		return id
	}
	return New()
}
