package app

import (
	"github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/service"
)

// Commands are the orders binary's subcommands.
func Commands() []cli.Command {
	return []cli.Command{service.ServeCommand(Serve), service.MigrateCommand("orders", migrations.FS)}
}
