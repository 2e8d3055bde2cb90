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

// gateway is how the public API is served locally: the real KrakenD when a
// krakend binary is on PATH (configured from the development settings of
// gateway/config), otherwise the development stand-in derived from the same
// route definition.
type gateway struct {
	kind string // "krakend" or "stand-in"
	path string
	args []string
	env  []string
}

// HealthURL is answered by both KrakenD and the stand-in once they serve.
func (g gateway) HealthURL() string {
	return "http://" + addr(GatewayPort) + "/__health"
}

// chooseGateway picks KrakenD or the stand-in and prepares its command;
// for KrakenD it first renders the development configuration.
func chooseGateway(ctx context.Context, cfg Config, out *Output) (gateway, error) {
	if krakend, err := exec.LookPath("krakend"); err == nil {
		file := filepath.Join(cfg.DataDir, "gateway", "krakend.json")
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return gateway{}, err
		}
		render := []string{"render", "-env", "development", "-out", file}
		if err := runStep(ctx, "gateway", filepath.Join(cfg.BinDir, "gateway-config"), render, os.Environ(), out); err != nil {
			return gateway{}, err
		}
		return gateway{kind: "krakend", path: krakend, args: []string{"run", "-c", file}, env: os.Environ()}, nil
	}
	env := append(os.Environ(), "GATEWAY_ADDR="+addr(GatewayPort), "LOG_LEVEL="+cfg.LogLevel)
	for _, s := range cfg.Services {
		env = append(env, strings.ToUpper(s.Name)+"_URL=http://"+s.HTTPAddr())
		if s.SigningKey {
			env = append(env, "JWKS_URL=http://"+s.HTTPAddr()+"/.well-known/jwks.json")
		}
	}
	return gateway{kind: "stand-in", path: filepath.Join(cfg.BinDir, "gateway-standin"), env: env}, nil
}

func (g gateway) describe() string {
	return fmt.Sprintf("public API: http://%s/api/v1 (%s)", addr(GatewayPort), g.kind)
}
