// Command gateway is shipshape's API gateway: KrakenD CE's engine and
// components (internal/gateway/engine) serving a rendered krakend.json
// unchanged, with the command line of `krakend`:
//
//	gateway run -c krakend.json [-drain 5s]
//	gateway check -c krakend.json
//
// Render the file with `gateway-config render -env <env> -out krakend.json`.
package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

func main() {
	cli.Exit("gateway",
		cli.Command{Name: "run", Usage: "-c krakend.json [-drain 5s]: serve the configuration until SIGTERM", Run: run},
		cli.Command{Name: "check", Usage: "-c krakend.json: parse the configuration and exit", Run: check},
	)
}

func run(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("run", flag.ContinueOnError)
	file := flags.String("c", "krakend.json", "the KrakenD configuration file")
	drain := flags.Duration("drain", 0, "on SIGTERM, answer /__health with 503 this long before closing the listener")
	if err := flags.Parse(args); err != nil {
		return err
	}
	cfg, err := engine.Load(*file)
	if err != nil {
		return err
	}
	return engine.Run(ctx, cfg, engine.Options{Drain: *drain})
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
