package compliance

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

// Command is `compliance-report serve`: the reporter, configured from the
// environment, until SIGTERM.
func Command() cli.Command {
	return cli.Command{Name: "serve", Usage: "report every COMPLIANCE_INTERVAL until SIGTERM (default)", Run: func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return fmt.Errorf("unexpected arguments %q (configure with COMPLIANCE_* variables)", args)
		}
		var cfg Config
		if err := config.Load(&cfg); err != nil {
			return err
		}
		level, _ := logging.ParseLevel(cfg.LogLevel) // checked by Validate
		logger := logging.New(os.Stderr, level, slog.String("service", "compliance-report"), slog.String("version", version.Version))
		return Run(ctx, cfg, logger)
	}}
}
