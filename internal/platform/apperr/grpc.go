package apperr

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"
)

var kindCodes = map[Kind]codes.Code{
	KindInternal:           codes.Internal,
	KindInvalidArgument:    codes.InvalidArgument,
	KindNotFound:           codes.NotFound,
	KindAlreadyExists:      codes.AlreadyExists,
	KindFailedPrecondition: codes.FailedPrecondition,
	KindAborted:            codes.Aborted,
	KindUnauthenticated:    codes.Unauthenticated,
	KindPermissionDenied:   codes.PermissionDenied,
	KindUnavailable:        codes.Unavailable,
	KindResourceExhausted:  codes.ResourceExhausted,
}

// Code is the gRPC code for a kind; an undefined kind is Internal, never OK.
func (k Kind) Code() codes.Code {
	if c, ok := kindCodes[k]; ok {
		return c
	}
	return codes.Internal
}

// KindOf is the kind whose code is c (Internal for codes with no kind),
// e.g. to rebuild a stored failure.
func KindOf(c codes.Code) Kind {
	for k, kc := range kindCodes {
		if kc == c {
			return k
		}
	}
	return KindInternal
}

// ToStatus converts any error to a gRPC status. Field violations travel as a
// google.rpc.BadRequest detail so REST and gRPC clients both see them.
func ToStatus(err error) *status.Status {
	if err == nil {
		return status.New(codes.OK, "")
	}
	// A domain error decides, even when its hidden cause wraps another
	// service's status: that status must not leak through to our client.
	var e *Error
	if !errors.As(err, &e) {
		if s, ok := status.FromError(err); ok {
			return s
		}
		switch {
		case errors.Is(err, context.Canceled):
			return status.New(codes.Canceled, "request canceled")
		case errors.Is(err, context.DeadlineExceeded):
			return status.New(codes.DeadlineExceeded, "deadline exceeded")
		}
		e = Internal(err)
	}
	st := status.New(e.Kind.Code(), e.Message)
	var details []protoadapt.MessageV1
	if len(e.Fields) > 0 {
		br := &errdetails.BadRequest{}
		for _, f := range e.Fields {
			br.FieldViolations = append(br.FieldViolations,
				&errdetails.BadRequest_FieldViolation{Field: f.Field, Description: f.Reason})
		}
		details = append(details, br)
	}
	if e.RetryAfter > 0 {
		details = append(details, &errdetails.RetryInfo{RetryDelay: durationpb.New(e.RetryAfter)})
	}
	if len(details) == 0 {
		return st
	}
	if withDetails, derr := st.WithDetails(details...); derr == nil {
		return withDetails
	}
	return st
}

// RetryAfterOf is the delay a status's google.rpc.RetryInfo asks for; zero
// when it has none.
func RetryAfterOf(st *status.Status) time.Duration {
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok && ri.GetRetryDelay() != nil {
			return ri.GetRetryDelay().AsDuration()
		}
	}
	return 0
}

// UnaryServerInterceptor turns handler errors into statuses, so handlers can
// return domain errors directly. Causes hidden from the client are logged.
func UnaryServerInterceptor(l *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		resp, err := next(ctx, req)
		if err == nil {
			return resp, nil
		}
		st := ToStatus(err)
		// The client sees only "internal error"; the cause goes to the log.
		// Errors that are already statuses carry no hidden cause.
		var domain *Error
		_, isStatus := status.FromError(err)
		if (errors.As(err, &domain) || !isStatus) && (st.Code() == codes.Internal || st.Code() == codes.Unavailable) {
			l.ErrorContext(ctx, "request failed", "grpc.method", info.FullMethod, "error", err.Error())
		}
		return nil, st.Err()
	}
}

// FieldsOf returns the field violations carried by a status.
func FieldsOf(st *status.Status) []FieldViolation {
	var out []FieldViolation
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				out = append(out, FieldViolation{Field: v.GetField(), Reason: v.GetDescription()})
			}
		}
	}
	return out
}
