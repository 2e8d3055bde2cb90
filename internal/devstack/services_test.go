package devstack

import (
	"os"
	"slices"
	"strings"
	"testing"

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
	l := Local{PGPort: 5433, LogLevel: "debug", SigningKeyFile: "/d/key.pem", Services: Services}
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
		"CATALOG_GRPC_TARGET=127.0.0.1:9082",
		"CART_GRPC_TARGET=127.0.0.1:9083",
	}
	if !slices.Equal(env, want) {
		t.Fatalf("got\n%q\nwant\n%q", env, want)
	}
	identity := Services[0].Env(nil, l)
	if !slices.Contains(identity, "JWT_SIGNING_KEY_FILE=/d/key.pem") {
		t.Fatalf("identity lacks its signing key: %q", identity)
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
