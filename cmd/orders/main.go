// Command orders places orders from carts and keeps the order history.
// Subcommands: serve (default), migrate.
package main

import (
	"github.com/shipshape-dev/shipshape/internal/orders/app"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

func main() { cli.Exit("orders", app.Commands()...) }
