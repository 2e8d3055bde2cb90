// Package kubeapi is just enough of a Kubernetes API client for the
// project's in-cluster jobs: JSON requests with the pod's service account
// token over TLS verified by the cluster CA, with net/http only (client-go
// would be most of their binaries).
package kubeapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// The in-cluster service account files, used when Config leaves the
// corresponding field empty.
const (
	ServiceAccountDir    = "/var/run/secrets/kubernetes.io/serviceaccount/"
	DefaultTokenFile     = ServiceAccountDir + "token"
	DefaultCAFile        = ServiceAccountDir + "ca.crt"
	DefaultNamespaceFile = ServiceAccountDir + "namespace"
)

// Config locates the API server and the credentials; a field of a
// program's configuration (internal/platform/config fills it). In a pod
// the kubelet sets the two variables; the other fields are for tests and
// default to the service account's files.
type Config struct {
	ServiceHost string `env:"KUBERNETES_SERVICE_HOST"`
	ServicePort string `env:"KUBERNETES_SERVICE_PORT" default:"443"`

	APIURL    string // overrides ServiceHost/ServicePort
	TokenFile string
	CAFile    string
}

// Validate refuses a configuration that names no API server.
func (c Config) Validate() error {
	if c.APIURL == "" && c.ServiceHost == "" {
		return config.Errorf("KUBERNETES_SERVICE_HOST", "not set: not running in a Kubernetes pod?")
	}
	return nil
}

// BaseURL is the API server's URL; JoinHostPort brackets an IPv6 host.
func (c Config) BaseURL() string {
	if c.APIURL != "" {
		return strings.TrimRight(c.APIURL, "/")
	}
	return "https://" + net.JoinHostPort(c.ServiceHost, OrDefault(c.ServicePort, "443"))
}

// Namespace is the service account's namespace, read from file (empty:
// the in-cluster file).
func Namespace(file string) (string, error) {
	file = OrDefault(file, DefaultNamespaceFile)
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("reading the service account's namespace: %w", err)
	}
	ns := strings.TrimSpace(string(b))
	if ns == "" {
		return "", fmt.Errorf("reading the service account's namespace: %s is empty", file)
	}
	return ns, nil
}

// OrDefault is v, or def when v is empty.
func OrDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Client sends requests as one service account.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// New reads the token and CA afresh: projected tokens rotate, so a
// long-running caller makes a new Client per pass.
func New(cfg Config) (*Client, error) {
	token, err := os.ReadFile(OrDefault(cfg.TokenFile, DefaultTokenFile))
	if err != nil {
		return nil, fmt.Errorf("reading service account token: %w", err)
	}
	caFile := OrDefault(cfg.CAFile, DefaultCAFile)
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("reading cluster CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("reading cluster CA: no PEM certificate in %s", caFile)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &Client{
		base:  cfg.BaseURL(),
		token: strings.TrimSpace(string(token)),
		http:  &http.Client{Transport: tr},
	}, nil
}

// Error is a non-2xx answer, with the message of the API's Status body.
type Error struct {
	Code    int
	Message string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// HasStatus reports whether err is an API answer with the given code.
func HasStatus(err error, code int) bool {
	var ae *Error
	return errors.As(err, &ae) && ae.Code == code
}

// Do sends body (if not nil) as JSON and decodes a 2xx answer into out (if
// not nil). path must already be escaped.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	_, err := c.DoWarned(ctx, method, path, body, out)
	return err
}

// DoWarned is Do that also returns the answer's warnings (the API server's
// Warning headers: deprecations, and the messages of admission policies
// bound with the Warn action), on success and on failure alike.
func (c *Client) DoWarned(ctx context.Context, method, path string, body, out any) ([]string, error) {
	return c.send(ctx, method, path, "application/json", body, out)
}

// JSONPatch applies a JSON patch (RFC 6902) to the object at path. A
// "test" operation makes it conditional: when the object no longer holds
// the tested value, the API server refuses the whole patch with 422.
func (c *Client) JSONPatch(ctx context.Context, path string, ops []PatchOp) error {
	_, err := c.send(ctx, http.MethodPatch, path, "application/json-patch+json", ops, nil)
	return err
}

// PatchOp is one operation of a JSON patch.
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value,omitempty"`
}

// PointerEscape escapes a map key for a JSON pointer: a label key's "/"
// becomes "~1" (RFC 6901).
func PointerEscape(key string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(key)
}

func (c *Client) send(ctx context.Context, method, path, contentType string, body, out any) ([]string, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	warnings := ParseWarnings(resp.Header.Values("Warning"))
	if resp.StatusCode/100 != 2 {
		// Bounded: only the Status message is wanted.
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		var status struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(b, &status) // a non-Status body leaves Message empty
		return warnings, &Error{Code: resp.StatusCode, Message: status.Message}
	}
	if out == nil {
		return warnings, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return warnings, fmt.Errorf("decoding %s %s answer: %w", method, path, err)
	}
	return warnings, nil
}

// ParseWarnings returns the texts of Warning header values, which the API
// server writes as `299 - "text"` (RFC 7234's warn-code, warn-agent and a
// quoted string). A value of another shape is kept whole rather than lost.
func ParseWarnings(values []string) []string {
	var out []string
	for _, v := range values {
		code, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
		if !ok || len(code) != 3 {
			out = append(out, v)
			continue
		}
		_, text, ok := strings.Cut(strings.TrimSpace(rest), " ")
		if !ok {
			out = append(out, v)
			continue
		}
		// A warn-date may follow the quoted text.
		quoted, err := strconv.QuotedPrefix(strings.TrimSpace(text))
		if s, uerr := strconv.Unquote(quoted); err == nil && uerr == nil {
			out = append(out, s)
		} else {
			out = append(out, v)
		}
	}
	return out
}
