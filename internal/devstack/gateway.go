package devstack

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// GatewayPort is where `make run` serves the public API (/api/v1).
const GatewayPort = 8080

// Gateway kinds `make run` can serve the public API with (devstack -gateway).
const (
	// GatewayEngine is shipshape's gateway (cmd/gateway): KrakenD CE's
	// engine and components running the development krakend.json. The
	// default.
	GatewayEngine = "gateway"
	// GatewayKrakenD is an official `krakend` binary on PATH, running the
	// same file.
	GatewayKrakenD = "krakend"
)

// GatewayKinds lists the kinds, the default first.
var GatewayKinds = []string{GatewayEngine, GatewayKrakenD}

// gateway is how the public API is served locally.
type gateway struct {
	kind string
	path string
	args []string
	env  []string
}

// HealthURL is answered by every kind once it serves (KrakenD's /__health).
func (g gateway) HealthURL() string {
	return "http://" + addr(GatewayPort) + "/__health"
}

// gatewayBinary resolves cfg.GatewayKind (GatewayEngine when empty) to
// the binary that serves it.
func gatewayBinary(cfg Config) (kind, binary string, err error) {
	switch cfg.GatewayKind {
	case "", GatewayEngine:
		return GatewayEngine, filepath.Join(cfg.BinDir, "gateway"), nil
	case GatewayKrakenD:
		binary, err := exec.LookPath("krakend")
		if err != nil {
			return "", "", fmt.Errorf("gateway %s: %w", GatewayKrakenD, err)
		}
		return GatewayKrakenD, binary, nil
	default:
		return "", "", fmt.Errorf("unknown gateway %q (want one of %s)", cfg.GatewayKind, strings.Join(GatewayKinds, ", "))
	}
}

// checkGateway fails before anything starts when cfg's gateway cannot run:
// an unknown kind, or its binary missing.
func checkGateway(cfg Config) error {
	_, binary, err := gatewayBinary(cfg)
	if err != nil {
		return err
	}
	if _, err := os.Stat(binary); err != nil {
		return fmt.Errorf("gateway binary %s missing; build it first (make build): %w", binary, err)
	}
	return nil
}

// chooseGateway prepares the gateway's command. Both kinds run
// `<binary> run -c krakend.json` on the development rendering, which is
// written into the data directory first.
func chooseGateway(ctx context.Context, cfg Config, out *Output) (gateway, error) {
	kind, binary, err := gatewayBinary(cfg)
	if err != nil {
		return gateway{}, err
	}
	file := filepath.Join(cfg.DataDir, "gateway", "krakend.json")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return gateway{}, err
	}
	render := []string{"render", "-env", "development", "-out", file}
	if err := runStep(ctx, "gateway", filepath.Join(cfg.BinDir, "gateway-config"), render, os.Environ(), out); err != nil {
		return gateway{}, err
	}
	return gateway{kind: kind, path: binary, args: []string{"run", "-c", file}, env: os.Environ()}, nil
}

func (g gateway) describe() string {
	return fmt.Sprintf("public API: http://%s/api/v1 (%s)", addr(GatewayPort), g.kind)
}
