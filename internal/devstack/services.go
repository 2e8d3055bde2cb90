// Package devstack runs the whole system locally without Docker: one
// PostgreSQL from the installed binaries plus every service binary.
package devstack

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Services is the local system. Adding a service is one line; its binary
// must exist at <bin>/<Name> and support `migrate`, `serve` and, if Seed,
// `seed`.
var Services = []Service{
	{Name: "identity", REST: 8081, GRPC: 9081, Admin: 9181, SigningKey: true},
	{Name: "catalog", REST: 8082, GRPC: 9082, Admin: 9182, Seed: true},
	{Name: "cart", REST: 8083, GRPC: 9083, Admin: 9183, Calls: []string{"identity", "catalog"}},
	{Name: "orders", REST: 8084, GRPC: 9084, Admin: 9184, Calls: []string{"identity", "catalog", "cart"}},
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
	// Calls names the services it reaches over gRPC: each becomes
	// <NAME>_GRPC_TARGET in its environment. Calling the SigningKey service
	// means obtaining a service token there: the service gets client
	// credentials (SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET_FILE).
	Calls []string
	// SigningKey gives it JWT_SIGNING_KEY_FILE, a development key that Run
	// generates once under the data directory (identity).
	SigningKey bool
}

// Local is the rest of the local system a service's environment refers to.
type Local struct {
	PGPort   int
	LogLevel string
	// SigningKeyFile is the development JWT signing key (see SigningKey).
	SigningKeyFile string
	// ServiceSecrets are the service clients' secret files, by service;
	// ServiceClientsFile lists their hashes for the signing service.
	ServiceSecrets     map[string]string
	ServiceClientsFile string
	Services           []Service
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

// Env is base plus the service's configuration; later entries win in
// os/exec, so these override anything inherited.
func (s Service) Env(base []string, l Local) []string {
	env := append([]string(nil), base...)
	env = append(env,
		"DATABASE_URL="+s.DatabaseURL(l.PGPort),
		"HTTP_ADDR="+s.HTTPAddr(),
		"GRPC_ADDR="+s.GRPCAddr(),
		"ADMIN_ADDR="+s.AdminAddr(),
		"LOG_LEVEL="+l.LogLevel,
		// No load balancer to drain locally: make Ctrl-C quick.
		"SHUTDOWN_DRAIN_DELAY=0s",
		// grpcurl and Postman work against make run without .proto files.
		"GRPC_REFLECTION=true",
	)
	for _, other := range l.Services {
		if other.SigningKey {
			// Every service trusts the tokens of the one that signs them.
			env = append(env, "JWKS_URL=http://"+other.HTTPAddr()+"/.well-known/jwks.json")
		}
		if slices.Contains(s.Calls, other.Name) {
			env = append(env, strings.ToUpper(other.Name)+"_GRPC_TARGET="+other.GRPCAddr())
		}
	}
	if s.SigningKey {
		env = append(env, "JWT_SIGNING_KEY_FILE="+l.SigningKeyFile)
		if l.ServiceClientsFile != "" {
			env = append(env, "SERVICE_CLIENTS_FILE="+l.ServiceClientsFile)
		}
	}
	if secret, ok := l.ServiceSecrets[s.Name]; ok {
		env = append(env, "SERVICE_CLIENT_ID="+s.Name, "SERVICE_CLIENT_SECRET_FILE="+secret)
	}
	return env
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
	for _, s := range services {
		for _, c := range s.Calls {
			if !names[c] {
				errs = append(errs, fmt.Errorf("service %s calls unknown service %s", s.Name, c))
			}
		}
	}
	return errors.Join(errs...)
}
