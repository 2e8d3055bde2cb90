// Package migrations holds cart's schema, embedded in the binary and
// applied by `cart migrate`.
package migrations

import "embed"

// FS is the goose SQL migrations.
//
//go:embed *.sql
var FS embed.FS
