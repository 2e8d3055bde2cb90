package app_test

import (
	"net/http"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

var httpClient = &http.Client{Timeout: 30 * time.Second}

func newRequest(method, url, body string, h stacktest.Header) (*http.Request, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header.Set(k, v)
	}
	return req, nil
}
