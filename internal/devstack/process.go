package devstack

import (
	"context"
	"os"
)

// process is a long-running part of the system started after the services
// (the gateway, the storefront): each waits for the one before it to be
// ready, then is polled on readyURL itself.
type process struct {
	name     string
	path     string
	args     []string
	env      []string
	readyURL string
	describe string // the line printed under the service table
}

// stage prepares one such process when its turn comes.
type stage func(ctx context.Context) (process, error)

// stages lists what starts after the services, in order.
func (c Config) stages(out *Output) []stage {
	var s []stage
	if c.Gateway {
		s = append(s, func(ctx context.Context) (process, error) {
			g, err := chooseGateway(ctx, c, out)
			if err != nil {
				return process{}, err
			}
			return process{name: "gateway", path: g.path, args: g.args, env: g.env, readyURL: g.HealthURL(), describe: g.describe()}, nil
		})
	}
	if c.Web != nil {
		s = append(s, func(context.Context) (process, error) {
			return c.Web.process(os.Environ(), c.LogLevel)
		})
	}
	return s
}
