// Package migrations holds catalog's schema, embedded in the binary and
// applied by `catalog migrate`.
package migrations

import "embed"

// FS is the goose SQL migrations.
//
//go:embed *.sql
var FS embed.FS
