// Command gateway-standin serves the public API (/api/v1, gateway/routes.yaml)
// for `make run` when no krakend binary is installed. It is a development
// stand-in for the KrakenD gateway, not a gateway: no rate limits, no
// circuit breakers. See internal/gateway/standin.
//
// Environment: GATEWAY_ADDR (127.0.0.1:8080), IDENTITY_URL, CATALOG_URL,
// CART_URL, ORDERS_URL (http://127.0.0.1:<port from routes.yaml>), JWKS_URL
// (IDENTITY_URL/.well-known/jwks.json), JWT_ISSUER, JWT_AUDIENCE,
// BACKEND_TIMEOUT (10s), SHUTDOWN_TIMEOUT (10s), LOG_LEVEL (info),
// TRUSTED_PROXY_CIDRS (127.0.0.0/8,::1/128: whose X-Forwarded-For names the client).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/gateway/standin"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/tracing"
	"github.com/shipshape-dev/shipshape/internal/platform/version"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gateway-standin:", err)
		os.Exit(1)
	}
}

func run() error {
	api, err := routes.Load()
	if err != nil {
		return err
	}
	cfg, err := standin.LoadConfig(api, os.LookupEnv)
	if err != nil {
		return err
	}
	level, err := logging.ParseLevel(cfg.LogLevel)
	if err != nil {
		return err
	}
	logger := logging.New(os.Stderr, level, slog.String("service", "gateway-standin"), slog.String("version", version.Version))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	flushTracing, err := tracing.SetupFromEnv(ctx, "gateway-standin", version.Version)
	if err != nil {
		return err
	}
	defer flushTracing()
	return standin.Serve(ctx, api, cfg, logger, nil)
}
