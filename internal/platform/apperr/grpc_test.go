package apperr_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
)

func TestToStatusCodeForEveryKind(t *testing.T) {
	for kind, want := range map[apperr.Kind]codes.Code{
		apperr.KindInternal:           codes.Internal,
		apperr.KindInvalidArgument:    codes.InvalidArgument,
		apperr.KindNotFound:           codes.NotFound,
		apperr.KindAlreadyExists:      codes.AlreadyExists,
		apperr.KindFailedPrecondition: codes.FailedPrecondition,
		apperr.KindAborted:            codes.Aborted,
		apperr.KindUnauthenticated:    codes.Unauthenticated,
		apperr.KindPermissionDenied:   codes.PermissionDenied,
		apperr.KindUnavailable:        codes.Unavailable,
		apperr.KindResourceExhausted:  codes.ResourceExhausted,
	} {
		st := apperr.ToStatus(apperr.New(kind, "msg %d", 7))
		if st.Code() != want || st.Message() != "msg 7" {
			t.Errorf("kind %d: got %v %q, want %v %q", kind, st.Code(), st.Message(), want, "msg 7")
		}
		if kind.Code() != want {
			t.Errorf("Kind(%d).Code() = %v, want %v", kind, kind.Code(), want)
		}
	}
}

func TestToStatusCarriesFieldViolations(t *testing.T) {
	var v apperr.Violations
	v.Add("name", "must not be empty")
	v.Add("price.amountMinor", "must be positive")
	st := apperr.ToStatus(fmt.Errorf("create: %w", v.Err()))
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("code %v", st.Code())
	}
	// Round trip through the wire form, as a client would see it.
	got := apperr.FieldsOf(status.Convert(st.Err()))
	want := []apperr.FieldViolation{{Field: "name", Reason: "must not be empty"}, {Field: "price.amountMinor", Reason: "must be positive"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("FieldsOf = %+v, want %+v", got, want)
	}
}

func TestToStatusWithoutFieldsHasNoDetails(t *testing.T) {
	st := apperr.ToStatus(apperr.NotFound("order", "42"))
	if len(st.Details()) != 0 || apperr.FieldsOf(st) != nil {
		t.Fatalf("unexpected details %v", st.Details())
	}
}

func TestToStatusHidesPlainErrorCause(t *testing.T) {
	st := apperr.ToStatus(errors.New("pq: password authentication failed for user admin"))
	if st.Code() != codes.Internal {
		t.Fatalf("code %v, want Internal", st.Code())
	}
	if strings.Contains(st.Message(), "password") {
		t.Fatalf("message leaks the cause: %q", st.Message())
	}
}

func TestToStatusHidesInternalCause(t *testing.T) {
	st := apperr.ToStatus(apperr.Internal(errors.New("secret detail")))
	if st.Code() != codes.Internal || strings.Contains(st.Message(), "secret") {
		t.Fatalf("got %v %q", st.Code(), st.Message())
	}
}

func TestToStatusContextErrors(t *testing.T) {
	for err, want := range map[error]codes.Code{
		context.Canceled:         codes.Canceled,
		context.DeadlineExceeded: codes.DeadlineExceeded,
		fmt.Errorf("query: %w", context.DeadlineExceeded): codes.DeadlineExceeded,
	} {
		if got := apperr.ToStatus(err).Code(); got != want {
			t.Errorf("%v: got %v, want %v", err, got, want)
		}
	}
}

func TestToStatusPassesStatusThrough(t *testing.T) {
	in := status.Error(codes.FailedPrecondition, "upstream said no")
	st := apperr.ToStatus(in)
	if st.Code() != codes.FailedPrecondition || st.Message() != "upstream said no" {
		t.Fatalf("got %v %q", st.Code(), st.Message())
	}
}

func TestToStatusNil(t *testing.T) {
	if st := apperr.ToStatus(nil); st.Code() != codes.OK || st.Err() != nil {
		t.Fatalf("got %v", st)
	}
}

// intercept runs the interceptor around a handler returning (resp, err).
func intercept(t *testing.T, resp any, herr error) (any, error, string) {
	t.Helper()
	var logs bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&logs, nil))
	info := &grpc.UnaryServerInfo{FullMethod: "/shop.v1.Orders/Get"}
	out, err := apperr.UnaryServerInterceptor(l)(context.Background(), "req", info,
		func(context.Context, any) (any, error) { return resp, herr })
	return out, err, logs.String()
}

func TestInterceptorPassesSuccess(t *testing.T) {
	out, err, logs := intercept(t, "resp", nil)
	if err != nil || out != "resp" {
		t.Fatalf("got %v, %v", out, err)
	}
	if logs != "" {
		t.Fatalf("logged on success: %s", logs)
	}
}

func TestInterceptorConvertsDomainError(t *testing.T) {
	_, err, logs := intercept(t, nil, apperr.InvalidField("sku", "too long"))
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.InvalidArgument {
		t.Fatalf("got %v, want an InvalidArgument status", err)
	}
	if f := apperr.FieldsOf(st); len(f) != 1 || f[0].Field != "sku" {
		t.Fatalf("fields %+v", f)
	}
	if logs != "" {
		t.Fatalf("client errors must not be logged as failures: %s", logs)
	}
}

func TestInterceptorLogsHiddenCause(t *testing.T) {
	_, err, logs := intercept(t, nil, apperr.Internal(errors.New("disk on fire")))
	st, _ := status.FromError(err)
	if st.Code() != codes.Internal {
		t.Fatalf("code %v", st.Code())
	}
	if strings.Contains(st.Message(), "disk on fire") {
		t.Fatalf("status leaks the cause: %q", st.Message())
	}
	if !strings.Contains(logs, "disk on fire") || !strings.Contains(logs, "/shop.v1.Orders/Get") {
		t.Fatalf("cause or method missing from the log: %s", logs)
	}
}

func TestInterceptorLogsUnavailableCause(t *testing.T) {
	_, err, logs := intercept(t, nil, apperr.Unavailable(errors.New("dial tcp: refused")))
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(logs, "dial tcp: refused") {
		t.Fatalf("cause missing from the log: %s", logs)
	}
}

func TestInterceptorLogsTheCauseOfPlainErrors(t *testing.T) {
	var logs logtest.Buffer
	l := slog.New(slog.NewJSONHandler(&logs, nil))
	_, err := apperr.UnaryServerInterceptor(l)(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x.v1.S/M"},
		func(context.Context, any) (any, error) { return nil, errors.New("disk on fire") })
	st, _ := status.FromError(err)
	if st.Code() != codes.Internal || strings.Contains(st.Message(), "disk") {
		t.Fatalf("status = %v, want Internal without the cause", st)
	}
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Fatalf("cause not logged: %q", logs.String())
	}
}

func TestUndefinedKindIsInternalNotOK(t *testing.T) {
	if got := apperr.ToStatus(apperr.New(apperr.Kind(42), "x")).Code(); got != codes.Internal {
		t.Fatalf("code = %v, want Internal", got)
	}
}

func TestKindOfInvertsCode(t *testing.T) {
	for _, k := range []apperr.Kind{apperr.KindInvalidArgument, apperr.KindNotFound, apperr.KindFailedPrecondition, apperr.KindUnavailable} {
		if got := apperr.KindOf(k.Code()); got != k {
			t.Errorf("KindOf(%v) = %v, want %v", k.Code(), got, k)
		}
	}
	if apperr.KindOf(codes.DataLoss) != apperr.KindInternal {
		t.Error("a code without a kind must be Internal")
	}
}

func TestDomainErrorWinsOverAWrappedDownstreamStatus(t *testing.T) {
	downstream := status.Error(codes.Internal, "catalog: secret detail")
	err := &apperr.Error{Kind: apperr.KindUnavailable, Message: "catalog is unavailable", Err: fmt.Errorf("lookup: %w", downstream)}
	st := apperr.ToStatus(err)
	if st.Code() != codes.Unavailable || st.Message() != "catalog is unavailable" {
		t.Fatalf("status = %v %q, want our Unavailable, not the downstream's", st.Code(), st.Message())
	}
}
