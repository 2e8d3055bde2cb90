// Command compliance-report lists the cluster's workloads that break the
// project's admission policies (objects that predate a rule, or run where
// it is not enforced) and exports them as metrics (internal/compliance).
package main

import (
	"github.com/shipshape-dev/shipshape/internal/compliance"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

func main() { cli.Exit("compliance-report", compliance.Command()) }
