package devstack

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

func TestServiceTableIsValid(t *testing.T) {
	if err := Validate(Services, 5432); err != nil {
		t.Fatal(err)
	}
}

func TestValidateCatchesMistakes(t *testing.T) {
	err := Validate([]Service{
		{Name: "a", REST: 1, GRPC: 2, Admin: 3},
		{Name: "a", REST: 4, GRPC: 5, Admin: 6},
		{Name: "b", REST: 1, GRPC: 0, Admin: 5432},
		{REST: 7, GRPC: 8, Admin: 9},
	}, 5432)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"a listed twice", "port 1 already used by a", "invalid port 0", "port 5432 already used by postgres", "empty name"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestServiceEnv(t *testing.T) {
	l := Local{PGPort: 5433, LogLevel: "debug", SigningKeyFile: "/d/key.pem", Services: Services,
		ServiceSecrets: map[string]string{"orders": "/r/orders-client-secret"}, ServiceClientsFile: "/r/service-clients"}
	env := Services[3].Env([]string{"PATH=/bin", "HTTP_ADDR=:1"}, l) // orders
	want := []string{
		"PATH=/bin",
		"HTTP_ADDR=:1",
		"DATABASE_URL=postgres://orders:orders-dev@127.0.0.1:5433/orders?sslmode=disable",
		"HTTP_ADDR=127.0.0.1:8084",
		"GRPC_ADDR=127.0.0.1:9084",
		"ADMIN_ADDR=127.0.0.1:9184",
		"LOG_LEVEL=debug",
		"SHUTDOWN_DRAIN_DELAY=0s",
		"GRPC_REFLECTION=true",
		"JWKS_URL=http://127.0.0.1:8081/.well-known/jwks.json",
		"IDENTITY_GRPC_TARGET=127.0.0.1:9081",
		"CATALOG_GRPC_TARGET=127.0.0.1:9082",
		"CART_GRPC_TARGET=127.0.0.1:9083",
		"SERVICE_CLIENT_ID=orders",
		"SERVICE_CLIENT_SECRET_FILE=/r/orders-client-secret",
	}
	if !slices.Equal(env, want) {
		t.Fatalf("got\n%q\nwant\n%q", env, want)
	}
	identity := Services[0].Env(nil, l)
	if !slices.Contains(identity, "JWT_SIGNING_KEY_FILE=/d/key.pem") || !slices.Contains(identity, "SERVICE_CLIENTS_FILE=/r/service-clients") {
		t.Fatalf("identity lacks its signing key or its service clients: %q", identity)
	}
}

func TestValidateRejectsCallsToUnknownServices(t *testing.T) {
	err := Validate([]Service{{Name: "a", REST: 1, GRPC: 2, Admin: 3, Calls: []string{"b"}}}, 5432)
	if err == nil || !strings.Contains(err.Error(), "unknown service b") {
		t.Fatalf("err = %v", err)
	}
	if err := Validate(Services, 5432); err != nil {
		t.Fatal(err)
	}
}

func TestSigningKeyIsCreatedOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	if err := ensureSigningKey(dir); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(signingKeyPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.ParseKeyPEM(first); err != nil {
		t.Fatalf("generated key does not parse: %v", err)
	}
	if err := ensureSigningKey(dir); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(signingKeyPath(dir)); string(again) != string(first) {
		t.Fatal("the key must survive restarts")
	}
	if fi, _ := os.Stat(signingKeyPath(dir)); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestURLTable(t *testing.T) {
	got := string(urlTable([]Service{{Name: "catalog", REST: 8082, GRPC: 9082, Admin: 9182}}, "postgres://x", "/l.log"))
	for _, want := range []string{"SERVICE", "http://127.0.0.1:8082", "127.0.0.1:9082", "http://127.0.0.1:9182", "postgres://x", "/l.log"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}

// Every service that calls identity gets a fresh secret of its own, only
// its hash goes to identity, and everything is private to the user.
func TestServiceSecretsArePerRunAndHashedForIdentity(t *testing.T) {
	if got := serviceClients(Services); !slices.Equal(got, []string{"cart", "orders"}) {
		t.Fatalf("service clients %v, want cart and orders", got)
	}
	first, clientsFile, err := writeServiceSecrets(t.TempDir(), Services)
	if err != nil {
		t.Fatal(err)
	}
	clients := readPrivate(t, clientsFile)
	parsed, err := usecase.ParseServiceClients(clients)
	if err != nil || len(parsed) != 2 {
		t.Fatalf("clients file %q: %v", clients, err)
	}
	for name, file := range first {
		secret := readPrivate(t, file)
		if len(strings.TrimSpace(secret)) < 32 || !strings.Contains(clients, name+"="+usecase.HashServiceSecret(secret)+"\n") {
			t.Errorf("%s: secret of %d characters, or its hash is not what identity gets", name, len(secret))
		}
		if strings.Contains(clients, strings.TrimSpace(secret)) {
			t.Errorf("%s: identity's file holds the secret itself", name)
		}
	}
	again, _, err := writeServiceSecrets(t.TempDir(), Services)
	if err != nil || readPrivate(t, again["orders"]) == readPrivate(t, first["orders"]) {
		t.Fatalf("a second run reuses the secret (%v)", err)
	}
}

func readPrivate(t *testing.T, file string) string {
	t.Helper()
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", file, info.Mode().Perm())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
