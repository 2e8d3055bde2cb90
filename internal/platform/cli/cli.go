// Package cli runs a service binary's subcommands (serve, migrate, seed)
// with a context that ends on SIGINT or SIGTERM.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/shipshape-dev/shipshape/internal/platform/memlimit"
)

// Command is one subcommand.
type Command struct {
	Name  string
	Usage string
	Run   func(ctx context.Context, args []string) error
}

// Main dispatches args[0] ("serve" when absent) and returns the exit code:
// 0 on success, 1 on failure, 2 on a usage error.
func Main(program string, args []string, stderr io.Writer, commands ...Command) int {
	name := "serve"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	for _, c := range commands {
		if c.Name != name {
			continue
		}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		if err := c.Run(ctx, args); err != nil {
			fmt.Fprintf(stderr, "%s %s: %v\n", program, name, err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "usage: %s <command>\n", program)
	for _, c := range commands {
		fmt.Fprintf(stderr, "  %-8s %s\n", c.Name, c.Usage)
	}
	if name == "help" || name == "-h" || name == "--help" {
		return 0
	}
	return 2
}

// Exit is Main for a real process, with the Go runtime's memory limit set
// from the container's (package memlimit).
func Exit(program string, commands ...Command) {
	if _, err := memlimit.Apply(memlimit.ProcSelf, os.Getenv); err != nil {
		fmt.Fprintf(os.Stderr, "%s: no memory limit for the Go runtime: %v\n", program, err)
	}
	os.Exit(Main(program, os.Args[1:], os.Stderr, commands...))
}
