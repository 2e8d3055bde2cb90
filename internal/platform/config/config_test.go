package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) { return FromMap(m) }

type DB struct {
	URL      string `env:"DATABASE_URL" required:"true"`
	MaxConns int    `env:"DB_MAX_CONNS" default:"4"`
}

type full struct {
	HTTPAddr string        `env:"HTTP_ADDR" default:":8080"`
	Debug    bool          `env:"DEBUG"`
	Port     int           `env:"PORT"`
	Big      int64         `env:"BIG"`
	Ratio    float64       `env:"RATIO" default:"0.5"`
	Timeout  time.Duration `env:"SHUTDOWN_TIMEOUT" default:"10s"`
	Peers    []string      `env:"PEERS"`
	DB                     // embedded: recursed without prefix
	Nested   struct {
		Name string `env:"NAME" default:"svc"`
	}
	Ignored string // untagged: left alone
}

func TestLoadFromParsesAllKinds(t *testing.T) {
	var c full
	c.Ignored = "keep"
	err := LoadFrom(env(map[string]string{
		"DEBUG":        "true",
		"PORT":         "42",
		"BIG":          "9000000000",
		"RATIO":        "0.25",
		"PEERS":        " a, b ,, c ,",
		"DATABASE_URL": "postgres://x",
		"NAME":         "orders",
	}), &c)
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	want := full{
		HTTPAddr: ":8080", Debug: true, Port: 42, Big: 9000000000, Ratio: 0.25,
		Timeout: 10 * time.Second, Peers: []string{"a", "b", "c"},
		DB: DB{URL: "postgres://x", MaxConns: 4}, Ignored: "keep",
	}
	want.Nested.Name = "orders"
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got  %+v\nwant %+v", c, want)
	}
}

func TestLoadFromCollectsAllErrors(t *testing.T) {
	var c full
	err := LoadFrom(env(map[string]string{
		"SHUTDOWN_TIMEOUT": "abc",
		"PORT":             "x1",
		"DEBUG":            "maybe",
		"RATIO":            "NaN",
	}), &c)
	if err == nil {
		t.Fatal("want error")
	}
	for _, want := range []string{
		`config: SHUTDOWN_TIMEOUT: invalid duration "abc"`,
		`config: PORT: invalid integer "x1"`,
		`config: DEBUG: invalid boolean "maybe"`,
		`config: RATIO: invalid number "NaN"`,
		`config: DATABASE_URL: required but not set`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 5 {
		t.Errorf("want 5 problems, got %d: %v", n, err)
	}
}

func TestEmptyCountsAsUnset(t *testing.T) {
	var c full
	err := LoadFrom(env(map[string]string{"HTTP_ADDR": "", "DATABASE_URL": ""}), &c)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL: required but not set") {
		t.Fatalf("want required error, got %v", err)
	}
	if c.HTTPAddr != ":8080" {
		t.Fatalf("empty HTTP_ADDR should fall back to default, got %q", c.HTTPAddr)
	}
}

func TestBadDefaultIsReported(t *testing.T) {
	var c struct {
		T time.Duration `env:"T" default:"soon"`
	}
	err := LoadFrom(env(nil), &c)
	if err == nil || err.Error() != `config: T: invalid duration "soon" (default)` {
		t.Fatalf("got %v", err)
	}
}

func TestUnsupportedType(t *testing.T) {
	var c struct {
		M map[string]string `env:"M"`
	}
	err := LoadFrom(env(map[string]string{"M": "x"}), &c)
	if err == nil || !strings.Contains(err.Error(), "config: M: unsupported field type map[string]string") {
		t.Fatalf("got %v", err)
	}
}

func TestNotAStructPointer(t *testing.T) {
	for _, dst := range []any{nil, full{}, new(int), (*full)(nil)} {
		if err := LoadFrom(env(nil), dst); err == nil {
			t.Errorf("LoadFrom(%T) succeeded", dst)
		}
	}
}

type validated struct {
	Addr string `env:"GRPC_ADDR" default:":9090"`
	Port int    `env:"PORT" default:"nope"`
}

func (v *validated) Validate() error { return CheckAddr("GRPC_ADDR", v.Addr) }

func TestValidateIsCalledAndJoined(t *testing.T) {
	var v validated
	err := LoadFrom(env(map[string]string{"GRPC_ADDR": "localhost"}), &v)
	if err == nil {
		t.Fatal("want error")
	}
	msg := err.Error()
	if !strings.Contains(msg, `config: PORT: invalid integer "nope" (default)`) ||
		!strings.Contains(msg, `config: GRPC_ADDR: invalid address "localhost"`) {
		t.Fatalf("got %q", msg)
	}

	v = validated{}
	if err := LoadFrom(env(map[string]string{"GRPC_ADDR": "127.0.0.1:0", "PORT": "1"}), &v); err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
}

func TestLoadUsesProcessEnv(t *testing.T) {
	t.Setenv("SHIPSHAPE_TEST_VAR", "from-env")
	var c struct {
		V string `env:"SHIPSHAPE_TEST_VAR" required:"true"`
	}
	if err := Load(&c); err != nil || c.V != "from-env" {
		t.Fatalf("Load: %v, %q", err, c.V)
	}
}

func TestErrorfWraps(t *testing.T) {
	base := errors.New("boom")
	err := Errorf("X", "bad: %w", base)
	if err.Error() != "config: X: bad: boom" || !errors.Is(err, base) {
		t.Fatalf("got %v", err)
	}
}

func TestCheckAddr(t *testing.T) {
	good := []string{":8080", "0.0.0.0:1", "localhost:65535", "[::1]:9090", ":0"}
	bad := []string{"", "8080", "localhost", ":", ":http", ":65536", ":-1", "a:b:c"}
	for _, a := range good {
		if err := CheckAddr("ADDR", a); err != nil {
			t.Errorf("CheckAddr(%q) = %v", a, err)
		}
	}
	for _, a := range bad {
		err := CheckAddr("ADDR", a)
		if err == nil || !strings.HasPrefix(err.Error(), "config: ADDR: ") {
			t.Errorf("CheckAddr(%q) = %v, want error naming ADDR", a, err)
		}
	}
}

type Listen struct {
	Addr string `env:"LISTEN_ADDR" default:"nope"`
}

func (l Listen) Validate() error { return CheckAddr("LISTEN_ADDR", l.Addr) }

type Limits struct {
	Max int `env:"MAX" default:"-1"`
}

func (l *Limits) Validate() error {
	if l.Max < 0 {
		return Errorf("MAX", "must not be negative")
	}
	return nil
}

func TestNestedValidateCalledOnce(t *testing.T) {
	// Named fields validate themselves (value and pointer receivers).
	var named struct {
		Server Listen
		Limits Limits
	}
	err := LoadFrom(env(nil), &named)
	if err == nil || strings.Count(err.Error(), "config: LISTEN_ADDR:") != 1 || strings.Count(err.Error(), "config: MAX:") != 1 {
		t.Fatalf("named: %v", err)
	}

	// Embedded with a promoted Validate: called once, not twice.
	var promoted struct{ Listen }
	err = LoadFrom(env(nil), &promoted)
	if err == nil || strings.Count(err.Error(), "LISTEN_ADDR") != 1 {
		t.Fatalf("promoted: %v", err)
	}

	// Two embedded validators make the selector ambiguous, so neither is
	// promoted: both must run.
	var both struct {
		Listen
		Limits
	}
	err = LoadFrom(env(nil), &both)
	if err == nil || strings.Count(err.Error(), "LISTEN_ADDR") != 1 || strings.Count(err.Error(), "MAX") != 1 {
		t.Fatalf("ambiguous: %v", err)
	}
}

type shadowing struct {
	Listen
}

// Validate shadows Listen.Validate and deliberately does not call it.
func (shadowing) Validate() error { return Errorf("OUTER", "outer only") }

func TestShadowedEmbeddedValidateIsOuterResponsibility(t *testing.T) {
	err := LoadFrom(env(nil), &shadowing{})
	if err == nil || err.Error() != "config: OUTER: outer only" {
		t.Fatalf("got %v", err)
	}
}
