// Command gateway is shipshape's API gateway: KrakenD CE's engine and
// components (internal/gateway/engine) serving a rendered krakend.json
// unchanged, with the command line of `krakend`:
//
//	gateway run -c krakend.json [-drain 5s] [-metrics :9091] [-await-jwks]
//	gateway check -c krakend.json
//
// Traces go to OTEL_EXPORTER_OTLP_ENDPOINT when it is set, as the services'.
//
// Render the file with `gateway-config render -env <env> -out krakend.json`.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/tracing"
	"github.com/shipshape-dev/shipshape/internal/platform/version"
)

func main() {
	cli.Exit("gateway",
		cli.Command{Name: "run", Usage: "-c krakend.json [-drain 5s] [-metrics :9091] [-await-jwks]: serve the configuration until SIGTERM", Run: run},
		cli.Command{Name: "check", Usage: "-c krakend.json: parse the configuration and exit", Run: check},
	)
}

func run(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("run", flag.ContinueOnError)
	file := flags.String("c", "krakend.json", "the KrakenD configuration file")
	drain := flags.Duration("drain", 0, "on SIGTERM, answer /__health with 503 this long before closing the listener")
	awaitJWKS := flags.Bool("await-jwks", false, "answer /__health with 503 after start until every auth/validator JWK set has answered once")
	metrics := flags.String("metrics", "", "serve Prometheus metrics (GET /metrics) and liveness (GET /healthz) on this address; off when empty")
	if err := flags.Parse(args); err != nil {
		return err
	}
	cfg, err := engine.Load(*file)
	if err != nil {
		return err
	}
	shutdownTracing, err := tracing.SetupFromEnv(ctx, "gateway", version.Version)
	if err != nil {
		return err
	}
	defer func() {
		// Flush the last spans, bounded: the pod's grace period is short.
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = shutdownTracing(flushCtx)
	}()
	opts := engine.Options{Drain: *drain, AwaitJWKS: *awaitJWKS}
	if *metrics != "" {
		if opts.MetricsListener, err = net.Listen("tcp", *metrics); err != nil {
			return err
		}
	}
	return engine.Run(ctx, cfg, opts)
}

func check(_ context.Context, args []string) error {
	flags := flag.NewFlagSet("check", flag.ContinueOnError)
	file := flags.String("c", "krakend.json", "the KrakenD configuration file")
	if err := flags.Parse(args); err != nil {
		return err
	}
	cfg, err := engine.Load(*file)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d endpoints, syntax OK\n", *file, len(cfg.Endpoints))
	return nil
}
