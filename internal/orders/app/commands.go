package app

import (
	"github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

// Commands are the orders binary's subcommands.
func Commands() []cli.Command {
	return []cli.Command{bootstrap.ServeCommand(Serve), bootstrap.MigrateCommand("orders", migrations.FS)}
}
