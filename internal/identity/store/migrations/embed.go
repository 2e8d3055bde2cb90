// Package migrations holds identity's schema, embedded in the binary and
// applied by `identity migrate`.
package migrations

import "embed"

// FS is the goose SQL migrations.
//
//go:embed *.sql
var FS embed.FS
