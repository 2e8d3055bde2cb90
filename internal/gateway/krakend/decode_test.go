package krakend

import (
	"strings"
	"testing"
)

func TestDecodeIsStrict(t *testing.T) {
	cases := map[string]string{
		`{"version": 3, "endpoint": []}`:                                                      `service: json: unknown field "endpoint"`,
		`{"version": 3, "extra_config": {"security/cors": {"allow_origin": []}}}`:             `service: json: unknown field "allow_origin"`,
		`{"version": 3, "endpoints": [{"endpoint": "/x", "method": "POST", "backends": []}]}`: `POST /x: json: unknown field "backends"`,
		`{"version": 3, "endpoints": [{"endpoint": "/x", "backend": [{"url_pattern": "/x", "extra_config": {"qos/circuit-breaker": {"maxErrors": 1}}}]}]}`: `GET /x: json: unknown field "maxErrors"`,
		`{"version": 3, "endpoints": [{"colour": "red"}]}`: `endpoint #1: json: unknown field "colour"`,
		`{"version": 3} {}`: "service: unexpected data after the JSON value",
		`{"version": "3"}`:  "service: json: cannot unmarshal string",
	}
	for in, want := range cases {
		_, err := Decode([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want %q, got %v", in, want, err)
		}
	}
}

func TestDecodeReportsEveryBadEndpoint(t *testing.T) {
	_, err := Decode([]byte(`{"endpoints": [{"endpoint": "/a", "x": 1}, {"endpoint": "/b"}, {"endpoint": "/c", "y": 1}]}`))
	if err == nil || !strings.Contains(err.Error(), "GET /a:") || !strings.Contains(err.Error(), "GET /c:") {
		t.Fatalf("got %v", err)
	}
}
