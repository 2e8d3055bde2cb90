package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/shipshape-dev/shipshape/internal/devstack"
	"github.com/shipshape-dev/shipshape/internal/loadgen"
)

// config is the command line: one run, or with -capacity a search whose
// first step runs at -rate.
type config struct {
	run      loadgen.Options
	capacity *loadgen.Capacity
	mixFile  string
	out      string
}

func parseFlags() config {
	c := config{run: loadgen.Options{Progress: os.Stderr}}
	o := &c.run
	flag.StringVar(&o.API, "api", fmt.Sprintf("http://127.0.0.1:%d/api/v1", devstack.GatewayPort), "the public API's base URL")
	flag.Float64Var(&o.Rate, "rate", 50, "journeys started per second at full load (with -capacity: the first step's)")
	flag.DurationVar(&o.Ramp, "ramp", 10*time.Second, "time to climb from 0 to -rate (with -capacity: in each step)")
	flag.DurationVar(&o.Steady, "steady", 30*time.Second, "time at -rate (with -capacity: in each step)")
	flag.IntVar(&o.Users, "users", 50, "shoppers to sign up (the mix's user journeys each hold one)")
	flag.IntVar(&o.MaxInFlight, "max-inflight", 2000, "journeys at once; arrivals beyond are dropped and counted")
	flag.DurationVar(&o.Timeout, "timeout", 10*time.Second, "per request")
	flag.BoolVar(&o.SpreadClients, "spread-clients", false, "give each shopper its own X-Forwarded-For address (a gateway that trusts this client honours it)")
	flag.StringVar(&c.mixFile, "mix", "", "traffic mix YAML (default: the shop mix built in)")
	flag.StringVar(&c.out, "out", "test-results/load", "directory for report.json and report.md (capacity.json and capacity.md)")
	search := flag.Bool("capacity", false, "search for the highest clean rate instead of one run: nothing failed or throttled, nothing dropped, the p99 of all requests within -p99 (a 4xx is an answer)")
	cp := loadgen.Capacity{}
	flag.Float64Var(&cp.Max, "max-rate", 2000, "with -capacity: the highest rate to try")
	flag.Float64Var(&cp.Factor, "factor", 1.25, "with -capacity: each step's rate over the last one's")
	flag.IntVar(&cp.Refine, "refine", 2, "with -capacity: bisections between the last clean and the first failing rate")
	flag.DurationVar(&cp.P99, "p99", 300*time.Millisecond, "with -capacity: the limit of the 99th percentile of all requests")
	flag.Parse()
	if *search {
		cp.Start = o.Rate
		c.capacity = &cp
	}
	return c
}
