package grpcapi

import (
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// withRetryInfo gives a throttled sign-in's status a google.rpc.RetryInfo
// detail, so gRPC clients can wait exactly as long as needed (REST clients
// read the wait in the message). Other errors pass unchanged.
func withRetryInfo(err error) error {
	wait, ok := usecase.RetryAfter(err)
	if !ok {
		return err
	}
	st, derr := apperr.ToStatus(err).WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(wait)})
	if derr != nil {
		return err
	}
	return st.Err()
}
