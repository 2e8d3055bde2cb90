package devstack

import (
	"slices"
	"strings"
	"testing"
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
	s := Service{Name: "catalog", REST: 8082, GRPC: 9082, Admin: 9182}
	env := s.Env([]string{"PATH=/bin", "HTTP_ADDR=:1"}, 5433, "debug")
	want := []string{
		"PATH=/bin",
		"HTTP_ADDR=:1",
		"DATABASE_URL=postgres://catalog:catalog-dev@127.0.0.1:5433/catalog?sslmode=disable",
		"HTTP_ADDR=127.0.0.1:8082",
		"GRPC_ADDR=127.0.0.1:9082",
		"ADMIN_ADDR=127.0.0.1:9182",
		"LOG_LEVEL=debug",
		"ADMIN_TOKEN=" + DevAdminToken,
		"SHUTDOWN_DRAIN_DELAY=0s",
	}
	if !slices.Equal(env, want) {
		t.Fatalf("got\n%q\nwant\n%q", env, want)
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
