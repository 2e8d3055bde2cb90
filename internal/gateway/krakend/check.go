package krakend

import (
	"errors"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// Check renders env from the committed configuration, decodes it strictly
// and checks the invariants and the agreement with gateway/routes.yaml.
func Check(env string) error {
	api, err := routes.Load()
	if err != nil {
		return err
	}
	data, err := Render(env)
	if err != nil {
		return fmt.Errorf("%s: %w", env, err)
	}
	return CheckRendered(env, data, api)
}

// CheckRendered checks an already rendered configuration of env.
func CheckRendered(env string, data []byte, api routes.API) error {
	cfg, err := Decode(data)
	if err != nil {
		return fmt.Errorf("%s: %w", env, err)
	}
	if err := errors.Join(CheckInvariants(env, cfg, api), CheckRoutes(cfg, api)); err != nil {
		return fmt.Errorf("%s: %w", env, err)
	}
	return nil
}
