// Command identity serves accounts, sign-in, tokens and the JWKS.
// Subcommands: serve (default), migrate, grant-admin <email>.
package main

import (
	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

func main() { cli.Exit("identity", app.Commands()...) }
