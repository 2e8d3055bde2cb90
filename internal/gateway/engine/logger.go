package engine

import (
	"errors"
	"fmt"
	"os"

	gologging "github.com/krakend/krakend-gologging/v2"
	"github.com/luraproject/lura/v2/config"
	"github.com/luraproject/lura/v2/logging"
)

// newLogger is telemetry/logging (level, prefix, stdout) when configured,
// otherwise KrakenD's fallback: INFO on stdout.
func newLogger(cfg config.ServiceConfig) (logging.Logger, error) {
	logger, err := gologging.NewLogger(cfg.ExtraConfig)
	if err == nil {
		return logger, nil
	}
	if !errors.Is(err, gologging.ErrWrongConfig) {
		return nil, fmt.Errorf("telemetry/logging: %w", err)
	}
	return logging.NewLogger("INFO", os.Stdout, "[KRAKEND]")
}
