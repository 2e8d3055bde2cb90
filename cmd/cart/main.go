// Command cart keeps one shopping cart per signed-in user.
// Subcommands: serve (default), migrate.
package main

import (
	"github.com/shipshape-dev/shipshape/internal/cart/app"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

func main() { cli.Exit("cart", app.Commands()...) }
