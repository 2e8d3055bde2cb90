package apperr_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// A throttle's wait reaches gRPC clients as google.rpc.RetryInfo and REST
// clients as Retry-After in whole seconds, rounded up; errors without a
// wait carry neither.
func TestRetryAfterReachesBothTransports(t *testing.T) {
	throttled := &apperr.Error{Kind: apperr.KindResourceExhausted, Message: "slow down",
		RetryAfter: 90*time.Second + time.Millisecond,
		Fields:     []apperr.FieldViolation{{Field: "email", Reason: "too many attempts"}}}
	st := apperr.ToStatus(throttled)
	if st.Code() != codes.ResourceExhausted || apperr.RetryAfterOf(st) != throttled.RetryAfter {
		t.Fatalf("status %v, retry after %s", st, apperr.RetryAfterOf(st))
	}
	if f := apperr.FieldsOf(st); len(f) != 1 || f[0].Field != "email" {
		t.Fatalf("the field violation was lost beside RetryInfo: %v", f)
	}
	// The status survives a hop (what the REST facade gets from gRPC).
	if got := apperr.RetryAfterOf(apperr.ToStatus(st.Err())); got != throttled.RetryAfter {
		t.Fatalf("after a hop: %s", got)
	}

	w := httptest.NewRecorder()
	apperr.WriteHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/auth/signin", nil), throttled)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "91" {
		t.Fatalf("HTTP %d, Retry-After %q; want 429 and 91", w.Code, w.Header().Get("Retry-After"))
	}

	w = httptest.NewRecorder()
	apperr.WriteHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil), apperr.New(apperr.KindResourceExhausted, "full"))
	if h := w.Header().Get("Retry-After"); h != "" || apperr.RetryAfterOf(apperr.ToStatus(apperr.Internal(nil))) != 0 {
		t.Fatalf("no wait given, yet Retry-After %q", h)
	}
}
