package ociregistry

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// Tool is the registry binary: our small main in tools/registry/registry.
var Tool = manifestcheck.Tool{Name: "registry", Package: "./registry/registry",
	Module: "github.com/distribution/distribution/v3"}

// Config is one registry: where it keeps its blobs and files, where it
// listens, its TLS key pair and its one account.
type Config struct {
	Dir      string // data and generated files (config.yml, htpasswd)
	Addr     string // host:port to listen on
	CertFile string // server certificate (PEM) for Addr's host
	KeyFile  string
	User     string
	Password string
}

// Env is the environment the registry runs with: no trace export (its
// OpenTelemetry default would send spans to an OTLP collector on the
// host).
var Env = []string{"OTEL_TRACES_EXPORTER=none"}

// WriteConfig writes Dir/htpasswd (bcrypt, the only hash Distribution
// accepts) and Dir/config.yml, and returns the configuration's path: run
// `registry serve <path>` with Env.
func WriteConfig(c Config) (string, error) {
	if c.User == "" || c.Password == "" {
		return "", fmt.Errorf("registry: a user and a password are required (anonymous access stays off)")
	}
	if err := os.MkdirAll(filepath.Join(c.Dir, "data"), 0o700); err != nil {
		return "", err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(c.Password), bcrypt.DefaultCost)
	if err != nil {
		return "", err
	}
	htpasswd := filepath.Join(c.Dir, "htpasswd")
	if err := os.WriteFile(htpasswd, fmt.Appendf(nil, "%s:%s\n", c.User, hash), 0o600); err != nil {
		return "", err
	}
	// The secret signs upload state between requests; a fresh one per
	// configuration is enough for one registry process.
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	type m = map[string]any
	cfg := m{
		"version": "0.1",
		"log":     m{"level": "warn", "accesslog": m{"disabled": true}},
		"storage": m{
			"filesystem": m{"rootdirectory": filepath.Join(c.Dir, "data")},
			// Blobs are content-addressed and a release's digests are
			// pinned in git: nothing may delete them.
			"delete": m{"enabled": false},
		},
		"http": m{
			"addr":   c.Addr,
			"secret": hex.EncodeToString(secret),
			"tls":    m{"certificate": c.CertFile, "key": c.KeyFile, "minimumtls": "tls1.2"},
		},
		"auth": m{"htpasswd": m{"realm": "shipshape-release", "path": htpasswd}},
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return "", err
	}
	path := filepath.Join(c.Dir, "config.yml")
	return path, os.WriteFile(path, out, 0o600)
}
