// Command loadgen drives the public API with the shop's traffic mix at a
// constant arrival rate (internal/loadgen) and writes report.json and
// report.md; `make load` runs it against `make run`. It exits 1 when any
// request failed (5xx, timeout, broken connection).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/shipshape-dev/shipshape/internal/devstack"
	"github.com/shipshape-dev/shipshape/internal/loadgen"
)

func main() {
	o := loadgen.Options{Progress: os.Stderr}
	flag.StringVar(&o.API, "api", fmt.Sprintf("http://127.0.0.1:%d/api/v1", devstack.GatewayPort), "the public API's base URL")
	flag.Float64Var(&o.Rate, "rate", 50, "journeys started per second at full load")
	flag.DurationVar(&o.Ramp, "ramp", 10*time.Second, "time to climb from 0 to -rate")
	flag.DurationVar(&o.Steady, "steady", 30*time.Second, "time at -rate")
	flag.IntVar(&o.Users, "users", 50, "shoppers to sign up (the mix's user journeys each hold one)")
	flag.IntVar(&o.MaxInFlight, "max-inflight", 2000, "journeys at once; arrivals beyond are dropped and counted")
	flag.DurationVar(&o.Timeout, "timeout", 10*time.Second, "per request")
	flag.BoolVar(&o.SpreadClients, "spread-clients", false, "give each shopper its own X-Forwarded-For address (a gateway that trusts this client honours it)")
	mixFile := flag.String("mix", "", "traffic mix YAML (default: the shop mix built in)")
	out := flag.String("out", "test-results/load", "directory for report.json and report.md")
	flag.Parse()

	mix, err := loadgen.ReadMix(*mixFile)
	if err == nil {
		o.Mix = mix
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		var r *loadgen.Report
		if r, err = loadgen.Run(ctx, o); err == nil {
			fmt.Print(r.Markdown())
			err = r.WriteFiles(*out)
			if err == nil && r.Total.Errors > 0 {
				err = fmt.Errorf("%d requests failed", r.Total.Errors)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}
