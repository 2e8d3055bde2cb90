// Package migrations holds orders' schema, embedded in the binary and
// applied by `orders migrate`.
package migrations

import "embed"

// FS is the goose SQL migrations.
//
//go:embed *.sql
var FS embed.FS
