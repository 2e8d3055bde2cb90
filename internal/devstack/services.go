// Package devstack runs the whole system locally without Docker: one
// PostgreSQL from the installed binaries plus every service binary.
package devstack

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// Services is the local system. Adding a service is one line; its binary
// must exist at <bin>/<Name> and support `migrate`, `serve` and, if Seed,
// `seed`.
var Services = []Service{
	{Name: "catalog", REST: 8082, GRPC: 9082, Admin: 9182, Seed: true},
}

// host is where everything listens: loopback only, since PostgreSQL runs
// with trust authentication and the services with dev credentials.
const host = "127.0.0.1"

// Service is one row of the service table.
type Service struct {
	Name  string
	REST  int // HTTP_ADDR port
	GRPC  int // GRPC_ADDR port
	Admin int // ADMIN_ADDR port (/readyz, /metrics)
	Seed  bool
}

func addr(port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }

func (s Service) HTTPAddr() string  { return addr(s.REST) }
func (s Service) GRPCAddr() string  { return addr(s.GRPC) }
func (s Service) AdminAddr() string { return addr(s.Admin) }

// Password is the service's database password. Development only: it is
// derived from the name so local runs need no secret store; real
// environments inject DATABASE_URL from their secrets.
func (s Service) Password() string { return s.Name + "-dev" }

// DatabaseURL points at the service's own database as its own role.
func (s Service) DatabaseURL(pgPort int) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(s.Name, s.Password()),
		Host:     addr(pgPort),
		Path:     "/" + s.Name,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// DevAdminToken authenticates admin calls in local runs only (see README);
// deployed environments take ADMIN_TOKEN from a Secret.
const DevAdminToken = "local-development-admin-token"

// Env is base plus the service's configuration; later entries win in
// os/exec, so these override anything inherited.
func (s Service) Env(base []string, pgPort int, logLevel string) []string {
	env := append([]string(nil), base...)
	return append(env,
		"DATABASE_URL="+s.DatabaseURL(pgPort),
		"HTTP_ADDR="+s.HTTPAddr(),
		"GRPC_ADDR="+s.GRPCAddr(),
		"ADMIN_ADDR="+s.AdminAddr(),
		"LOG_LEVEL="+logLevel,
		"ADMIN_TOKEN="+DevAdminToken,
		// No load balancer to drain locally: make Ctrl-C quick.
		"SHUTDOWN_DRAIN_DELAY=0s",
	)
}

// Validate catches table mistakes (duplicate names or ports) before anything
// starts, where they would show up as confusing bind errors.
func Validate(services []Service, pgPort int) error {
	names := map[string]bool{}
	ports := map[int]string{pgPort: "postgres"}
	var errs []error
	for _, s := range services {
		if s.Name == "" {
			errs = append(errs, errors.New("service with empty name"))
			continue
		}
		if names[s.Name] {
			errs = append(errs, fmt.Errorf("service %s listed twice", s.Name))
		}
		names[s.Name] = true
		for _, p := range []int{s.REST, s.GRPC, s.Admin} {
			if p <= 0 || p > 65535 {
				errs = append(errs, fmt.Errorf("service %s: invalid port %d", s.Name, p))
			} else if other, dup := ports[p]; dup {
				errs = append(errs, fmt.Errorf("service %s: port %d already used by %s", s.Name, p, other))
			} else {
				ports[p] = s.Name
			}
		}
	}
	return errors.Join(errs...)
}
