package dbsnapshot

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/version"
)

// Command is `dbagent snapshot`: one run, configured from the environment.
func Command() cli.Command {
	return cli.Command{
		Name:  "snapshot",
		Usage: "snapshot the PostgreSQL leader's volume and prune old snapshots",
		Run: func(ctx context.Context, args []string) error {
			// Extra arguments are refused rather than ignored: a CronJob
			// whose args were meant as settings would otherwise run silently
			// with defaults.
			if len(args) > 0 {
				return fmt.Errorf("unexpected arguments %q (configure with SNAPSHOT_* variables)", args)
			}
			var cfg Config
			if err := config.Load(&cfg); err != nil {
				return err
			}
			logger := logging.New(os.Stderr, slog.LevelInfo,
				slog.String("service", "dbagent"), slog.String("command", "snapshot"), slog.String("version", version.Version))
			return Run(ctx, cfg, logger)
		},
	}
}
