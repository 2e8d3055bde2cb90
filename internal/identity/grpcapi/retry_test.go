package grpcapi

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestWithRetryInfo(t *testing.T) {
	other := apperr.New(apperr.KindUnauthenticated, "invalid email or password")
	if got := withRetryInfo(other); !errors.Is(got, other) {
		t.Fatalf("other errors must pass unchanged: %v", got)
	}
	throttled := usecase.Throttled(90 * time.Second)
	st, _ := status.FromError(withRetryInfo(throttled))
	if st.Code() != codes.ResourceExhausted || st.Message() != "too many failed sign-ins; try again in 90 seconds" {
		t.Fatalf("status %v", st)
	}
	var delay time.Duration
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			delay = ri.GetRetryDelay().AsDuration()
		}
	}
	if delay != 90*time.Second {
		t.Fatalf("retry delay %s", delay)
	}
}
