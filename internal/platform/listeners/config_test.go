package listeners

import (
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

func validConfig() Config {
	return Config{HTTPAddr: ":8080", GRPCAddr: ":9090", AdminAddr: ":9091",
		DrainDelay: 5 * time.Second, ShutdownTimeout: 15 * time.Second, HealthInterval: 2 * time.Second,
		HTTPMaxConnectionAge: 30 * time.Second}
}

func TestConfigDefaultsAreValid(t *testing.T) {
	var c Config
	if err := config.LoadFrom(func(string) (string, bool) { return "", false }, &c); err != nil {
		t.Fatal(err)
	}
	if c != validConfig() {
		t.Fatalf("defaults %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidateNamesEachBadVariable(t *testing.T) {
	for variable, mutate := range map[string]func(*Config){
		"HTTP_ADDR":               func(c *Config) { c.HTTPAddr = "8080" },
		"GRPC_ADDR":               func(c *Config) { c.GRPCAddr = ":port" },
		"ADMIN_ADDR":              func(c *Config) { c.AdminAddr = ":70000" },
		"SHUTDOWN_DRAIN_DELAY":    func(c *Config) { c.DrainDelay = -time.Second },
		"SHUTDOWN_TIMEOUT":        func(c *Config) { c.ShutdownTimeout = 0 },
		"HEALTH_INTERVAL":         func(c *Config) { c.HealthInterval = 0 },
		"FAULT_ERROR_RATIO":       func(c *Config) { c.FaultErrorRatio = 1.5 },
		"HTTP_MAX_CONNECTION_AGE": func(c *Config) { c.HTTPMaxConnectionAge = -time.Second },
	} {
		c := validConfig()
		mutate(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), variable) {
			t.Errorf("%s: got %v, want an error naming it", variable, err)
		}
	}
}

func TestConfigValidateReportsAllProblems(t *testing.T) {
	c := validConfig()
	c.HTTPAddr, c.ShutdownTimeout = "nope", -time.Second
	err := c.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	msg := err.Error()
	if !strings.Contains(msg, "HTTP_ADDR") || !strings.Contains(msg, "SHUTDOWN_TIMEOUT") {
		t.Fatalf("not every problem reported: %v", err)
	}
	if strings.Contains(msg, "GRPC_ADDR") || strings.Contains(msg, "HEALTH_INTERVAL") {
		t.Fatalf("valid variables reported: %v", err)
	}
}

func TestConfigZeroDrainDelayIsValid(t *testing.T) {
	c := validConfig()
	c.DrainDelay = 0
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
