// Command catalog serves products, categories, search and stock.
// Subcommands: serve (default), migrate, seed.
package main

import (
	"github.com/shipshape-dev/shipshape/internal/catalog/app"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

func main() { cli.Exit("catalog", app.Commands()...) }
