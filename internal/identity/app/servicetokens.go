package app

import (
	"os"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// ServiceTokenConfig is identity's service-token configuration.
type ServiceTokenConfig struct {
	// ClientsFile lists the clients and their secrets' hashes (usecase.ParseServiceClients);
	// unset: no service can obtain a token.
	ClientsFile string `env:"SERVICE_CLIENTS_FILE"`
	// TTL is a service token's lifetime: clients fetch a new one halfway,
	// so identity can be away for about half of it unnoticed.
	TTL time.Duration `env:"SERVICE_TOKEN_TTL" default:"10m"`
}

// Validate checks what the types cannot.
func (c ServiceTokenConfig) Validate() error {
	if c.TTL < time.Minute || c.TTL > time.Hour {
		return config.Errorf("SERVICE_TOKEN_TTL", "must be between 1m and 1h")
	}
	return nil
}

// loadServiceClients reads the clients file; no file means no clients (every
// exchange is refused). Errors name SERVICE_CLIENTS_FILE.
func loadServiceClients(file string) (usecase.ServiceClients, error) {
	if file == "" {
		return usecase.ServiceClients{}, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, config.Errorf("SERVICE_CLIENTS_FILE", "%v", err)
	}
	c, err := usecase.ParseServiceClients(string(data))
	if err != nil {
		return nil, config.Errorf("SERVICE_CLIENTS_FILE", "%s: %v", file, err)
	}
	return c, nil
}
