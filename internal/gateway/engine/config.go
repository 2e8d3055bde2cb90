package engine

import (
	"errors"
	"fmt"
	"sync"

	"github.com/luraproject/lura/v2/config"
	"github.com/luraproject/lura/v2/transport/http/server"
)

var aliasesOnce sync.Once

// Load reads a KrakenD configuration file (syntax version 3), as
// `krakend run -c FILE` would, and refuses what this build would otherwise
// ignore: an extra_config namespace it does not implement, TLS, plugins,
// async agents and service discovery other than static hosts.
func Load(file string) (config.ServiceConfig, error) {
	aliasesOnce.Do(registerAliases)
	cfg, err := config.NewParser().Parse(file)
	if err != nil {
		return config.ServiceConfig{}, err
	}
	if err := errors.Join(checkNamespaces(&cfg), checkFeatures(&cfg)); err != nil {
		return config.ServiceConfig{}, fmt.Errorf("%s: %w", file, err)
	}
	cfg.Normalize()
	// lura's router sets the process's default HTTP transport (used for
	// backend calls) from the first configuration it runs. Doing it here,
	// before anything serves, keeps that write from racing with requests
	// already under way in the process.
	server.InitHTTPDefaultTransport(cfg)
	return cfg, nil
}

// checkFeatures refuses the parts of the KrakenD configuration this build
// does not wire.
func checkFeatures(cfg *config.ServiceConfig) error {
	var errs []error
	if cfg.TLS != nil && !cfg.TLS.IsDisabled {
		errs = append(errs, errors.New("tls: not supported by this build (TLS ends at the Ingress)"))
	}
	if cfg.Plugin != nil {
		errs = append(errs, errors.New("plugin: not supported by this build"))
	}
	if len(cfg.AsyncAgents) > 0 {
		errs = append(errs, errors.New("async_agent: not supported by this build"))
	}
	for _, e := range cfg.Endpoints {
		for _, b := range e.Backend {
			if b.SD != "" && b.SD != "static" {
				errs = append(errs, fmt.Errorf("%s %s: backend sd %q: only static hosts are supported", e.Method, e.Endpoint, b.SD))
			}
		}
	}
	return errors.Join(errs...)
}
