package dbagent

import (
	"context"
	"log/slog"
	"os"

	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/version"
)

// Command is `dbagent serve`: the sidecar, configured from the environment,
// until SIGTERM.
func Command() cli.Command {
	return cli.Command{Name: "serve", Usage: "run the agent until SIGTERM (default)", Run: func(ctx context.Context, _ []string) error {
		var cfg Config
		if err := config.Load(&cfg); err != nil {
			return err
		}
		level, _ := logging.ParseLevel(cfg.LogLevel) // checked by Validate
		logger := logging.New(os.Stderr, level, slog.String("service", "dbagent"), slog.String("version", version.Version))
		return Run(ctx, cfg, logger)
	}}
}
