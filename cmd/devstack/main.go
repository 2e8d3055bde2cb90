// Command devstack runs the local system without Docker (`make run`):
// PostgreSQL from the installed binaries plus every service in
// devstack.Services, the public API and (with -web) the storefront, until
// Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/shipshape-dev/shipshape/internal/devstack"
)

func main() {
	bin := flag.String("bin", ".bin", "directory holding the service binaries")
	data := flag.String("data", ".data", "directory for local state (PostgreSQL data and log)")
	pgPort := flag.Int("pg-port", 5432, "PostgreSQL port")
	logLevel := flag.String("log-level", "info", "LOG_LEVEL given to the services")
	webDir := flag.String("web", "", "the storefront's standalone build (web/.next/standalone); empty serves no storefront")
	webPort := flag.Int("web-port", devstack.WebPort, "storefront port")
	gatewayKind := flag.String("gateway", devstack.GatewayEngine, "what serves the public API: "+strings.Join(devstack.GatewayKinds, ", "))
	ports := flag.Bool("ports", false, "print the fixed ports (public API, then each service's REST, gRPC, admin) and exit")
	flag.Parse()
	if *ports {
		fmt.Println(strings.Trim(fmt.Sprint(devstack.FixedPorts(devstack.Services)), "[]"))
		return
	}

	var web *devstack.Web
	if *webDir != "" {
		web = &devstack.Web{Dir: *webDir, Port: *webPort}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, restore default handling: a second Ctrl-C
		// kills devstack at once, and the kernel then signals its children
		// (parent-death signals), so nothing is left running.
		<-ctx.Done()
		stop()
	}()

	err := devstack.Run(ctx, devstack.Config{
		BinDir:      *bin,
		DataDir:     *data,
		PGPort:      *pgPort,
		LogLevel:    *logLevel,
		Services:    devstack.Services,
		Gateway:     true,
		GatewayKind: *gatewayKind,
		Web:         web,
		Out:         os.Stdout,
		Color:       devstack.ColorEnabled(os.Stdout),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "devstack:", err)
		os.Exit(1)
	}
}
