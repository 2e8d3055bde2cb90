package domain

import (
	"encoding/base64"
	"encoding/json"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Cursor is the position a page token encodes. Filter binds it to the query
// that produced it, so a token cannot be replayed against another filter.
type Cursor struct {
	After  string `json:"a,omitempty"` // keyset position (slug) for listings
	Offset int    `json:"o,omitempty"` // rank position for search results
	Filter string `json:"f,omitempty"`
}

// EncodeCursor returns an opaque page token.
func EncodeCursor(c Cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses a token issued for filter; "" is the first page.
func DecodeCursor(field, token, filter string) (Cursor, error) {
	if token == "" {
		return Cursor{Filter: filter}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	var c Cursor
	if err != nil || len(b) > 512 || json.Unmarshal(b, &c) != nil || c.Offset < 0 {
		return Cursor{}, apperr.InvalidField(field, "is not a token from a previous page")
	}
	if c.Filter != filter {
		return Cursor{}, apperr.InvalidField(field, "belongs to a different query")
	}
	return c, nil
}
