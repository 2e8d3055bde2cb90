package dbsnapshot

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// kube is just enough of a Kubernetes API client: JSON requests with the
// service account's bearer token over TLS verified by the cluster CA.
type kube struct {
	base  string
	token string
	http  *http.Client
}

// newKube reads the token and CA afresh: projected tokens rotate, and a
// CronJob run must not depend on what an earlier run saw.
func newKube(cfg Config) (*kube, error) {
	token, err := os.ReadFile(orDefault(cfg.TokenFile, defaultTokenFile))
	if err != nil {
		return nil, fmt.Errorf("reading service account token: %w", err)
	}
	caFile := orDefault(cfg.CAFile, defaultCAFile)
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
	return &kube{
		base:  cfg.baseURL(),
		token: strings.TrimSpace(string(token)),
		http:  &http.Client{Transport: tr},
	}, nil
}

// apiError is a non-2xx answer, with the message of the API's Status body.
type apiError struct {
	Code    int
	Message string
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// hasStatus reports whether err is an API answer with the given code.
func hasStatus(err error, code int) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Code == code
}

// do sends body (if not nil) as JSON and decodes a 2xx answer into out (if
// not nil). path must already be escaped.
func (k *kube) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, k.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+k.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := k.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		// Bounded: only the Status message is wanted.
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		var status struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(b, &status) // a non-Status body leaves Message empty
		return &apiError{Code: resp.StatusCode, Message: status.Message}
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decoding %s %s answer: %w", method, path, err)
	}
	return nil
}
