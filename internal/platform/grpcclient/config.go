// Package grpcclient dials the other services the way the chassis expects:
// a deadline on every call, retries only for calls declared idempotent,
// client-side round robin over every address of a headless Service, and the
// caller's request id, token and trace passed along.
package grpcclient

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc/credentials"
)

// DefaultTimeout is the deadline of a call whose context has none.
const DefaultTimeout = 2 * time.Second

// Config describes one downstream service.
type Config struct {
	// Target is "dns:///catalog:9090" (every address the name resolves to,
	// i.e. every ready pod of a headless Service) or "127.0.0.1:9082".
	Target string
	// Timeout is applied to a call whose context has no deadline; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// Retry lists full method names that are safe to retry, e.g.
	// "/catalog.v1.CatalogService/GetProduct": retried on UNAVAILABLE,
	// 3 attempts at most. Other methods are never retried.
	Retry []string
	// Credentials, if set, are added to every unary call: the calling
	// service's own token (servicetoken.Credentials).
	Credentials credentials.PerRPCCredentials
}

func (c Config) validate() error {
	var errs []error
	if c.Target == "" {
		errs = append(errs, errors.New("target is empty"))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %v is negative", c.Timeout))
	}
	for _, m := range c.Retry {
		if _, _, err := splitMethod(m); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("grpcclient %s: %w", c.Target, err)
	}
	return nil
}

func (c Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// splitMethod splits "/pkg.Service/Method" into its service and method.
func splitMethod(full string) (service, method string, err error) {
	service, method, ok := strings.Cut(strings.TrimPrefix(full, "/"), "/")
	if !ok || !strings.HasPrefix(full, "/") || service == "" || method == "" || strings.Contains(method, "/") {
		return "", "", fmt.Errorf("retry method %q: want \"/package.Service/Method\"", full)
	}
	return service, method, nil
}
