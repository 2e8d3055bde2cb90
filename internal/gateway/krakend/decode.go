package krakend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Decode parses a rendered configuration strictly: an unknown or misspelled
// field anywhere is an error. Each endpoint is decoded on its own so that a
// message names the endpoint it is about; service-level problems are
// reported as "service".
func Decode(data []byte) (Config, error) {
	// The shallower Endpoints field wins over Config's, so the endpoints
	// arrive raw while every root field is still checked.
	var root struct {
		Config
		Endpoints []json.RawMessage `json:"endpoints"`
	}
	if err := strict(data, &root); err != nil {
		return Config{}, fmt.Errorf("service: %w", err)
	}
	cfg := root.Config
	var errs []error
	for i, raw := range root.Endpoints {
		var e Endpoint
		if err := strict(raw, &e); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", rawName(raw, i), err))
			continue
		}
		cfg.Endpoints = append(cfg.Endpoints, e)
	}
	return cfg, errors.Join(errs...)
}

func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// rawName names an endpoint that did not decode, from whatever of it can
// be read.
func rawName(raw json.RawMessage, i int) string {
	var id struct {
		Endpoint string `json:"endpoint"`
		Method   string `json:"method"`
	}
	if json.Unmarshal(raw, &id) != nil || id.Endpoint == "" {
		return fmt.Sprintf("endpoint #%d", i+1)
	}
	return Endpoint{Endpoint: id.Endpoint, Method: id.Method}.Name()
}
