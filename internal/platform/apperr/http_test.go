package apperr_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

// write runs WriteHTTP for err on a request carrying request id "req-1"
// and returns the status and the decoded JSON body.
func write(t *testing.T, err error) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/v1/orders", nil)
	r = r.WithContext(requestid.NewContext(r.Context(), "req-1"))
	w := httptest.NewRecorder()
	apperr.WriteHTTP(w, r, err)
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", w.Body.String(), err)
	}
	return w.Code, body
}

func TestWriteHTTPInvalidArgumentBody(t *testing.T) {
	code, body := write(t, apperr.InvalidField("pageSize", "must be positive"))
	if code != http.StatusBadRequest {
		t.Fatalf("status %d", code)
	}
	want := map[string]any{
		"code":      "INVALID_ARGUMENT",
		"message":   "invalid pageSize: must be positive",
		"fields":    []any{map[string]any{"field": "pageSize", "reason": "must be positive"}},
		"requestId": "req-1",
	}
	if !reflect.DeepEqual(body, want) {
		t.Fatalf("body %v\nwant %v", body, want)
	}
}

func TestWriteHTTPStatusMapping(t *testing.T) {
	for _, tc := range []struct {
		err  error
		http int
		code string
	}{
		{apperr.NotFound("order", "42"), http.StatusNotFound, "NOT_FOUND"},
		{apperr.New(apperr.KindAlreadyExists, "dup"), http.StatusConflict, "ALREADY_EXISTS"},
		{apperr.New(apperr.KindFailedPrecondition, "state"), http.StatusBadRequest, "FAILED_PRECONDITION"},
		{apperr.New(apperr.KindUnauthenticated, "who"), http.StatusUnauthorized, "UNAUTHENTICATED"},
		{apperr.New(apperr.KindPermissionDenied, "no"), http.StatusForbidden, "PERMISSION_DENIED"},
		{apperr.Unavailable(errors.New("db down")), http.StatusServiceUnavailable, "UNAVAILABLE"},
		{errors.New("nil pointer in secret place"), http.StatusInternalServerError, "INTERNAL"},
	} {
		code, body := write(t, tc.err)
		if code != tc.http || body["code"] != tc.code {
			t.Errorf("%v: got %d %v, want %d %s", tc.err, code, body["code"], tc.http, tc.code)
		}
		if _, ok := body["fields"]; ok {
			t.Errorf("%v: fields present without violations: %v", tc.err, body)
		}
		if msg, _ := body["message"].(string); strings.Contains(msg, "secret") || strings.Contains(msg, "db down") {
			t.Errorf("message leaks the cause: %q", msg)
		}
	}
}

func TestBodyOfWithoutRequestID(t *testing.T) {
	b := apperr.BodyOf(context.Background(), status.New(codes.NotFound, "gone"))
	if b.RequestID != "" || b.Code != "NOT_FOUND" || b.Message != "gone" {
		t.Fatalf("body %+v", b)
	}
	raw, _ := json.Marshal(b)
	if strings.Contains(string(raw), "requestId") || strings.Contains(string(raw), "fields") {
		t.Fatalf("empty fields serialized: %s", raw)
	}
}

func TestBodyOfRecoversGatewayField(t *testing.T) {
	msg := `proto: (line 1:2): unknown field "colour"`
	b := apperr.BodyOf(context.Background(), status.New(codes.InvalidArgument, msg))
	if len(b.Fields) != 1 || b.Fields[0].Field != "colour" || b.Fields[0].Reason != msg {
		t.Fatalf("fields %+v", b.Fields)
	}
}

func TestBodyOfPrefersStatusDetails(t *testing.T) {
	st := apperr.ToStatus(apperr.InvalidField("name", `unknown field "x"`))
	b := apperr.BodyOf(context.Background(), st)
	if len(b.Fields) != 1 || b.Fields[0].Field != "name" {
		t.Fatalf("fields %+v", b.Fields)
	}
}
