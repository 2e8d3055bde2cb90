package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shipshape-dev/shipshape/internal/gateway/krakend"
	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// render writes env's configuration, indented for reading (KrakenD itself
// sees the raw template output, which is the same JSON).
func render(env, out string) error {
	data, err := krakend.Render(env)
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, data, "", "  "); err != nil {
		return fmt.Errorf("%s: rendered configuration is not JSON: %w", env, err)
	}
	pretty.WriteByte('\n')
	if out == "" {
		_, err = os.Stdout.Write(pretty.Bytes())
		return err
	}
	return os.WriteFile(out, pretty.Bytes(), 0o644)
}

// check checks one environment, or all of them.
func check(env string) error {
	envs := krakend.Environments
	if env != "" {
		envs = []string{env}
	}
	var errs []error
	for _, e := range envs {
		if err := krakend.Check(e); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Printf("gateway-config: %s ok\n", e)
	}
	return errors.Join(errs...)
}

// regenerate rewrites settings/common/routes.json and the routes table of
// the gateway document from routes.yaml.
func regenerate(dir, doc string) error {
	api, err := routes.Load()
	if err != nil {
		return err
	}
	data, err := krakend.RoutesJSON(api)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(krakend.RoutesJSONPath)), data, 0o644); err != nil {
		return err
	}
	text, err := os.ReadFile(doc)
	if err != nil {
		return err
	}
	updated, err := krakend.ReplaceTable(string(text), krakend.RoutesTable(api))
	if err != nil {
		return fmt.Errorf("%s: %w", doc, err)
	}
	return os.WriteFile(doc, []byte(updated), 0o644)
}
