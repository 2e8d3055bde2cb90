// Package fault is the fault switch of release tests: it makes a version
// bad on purpose, failing a share of its gRPC calls (and so of its REST
// facade's requests) with Unavailable, so that a canary's analysis has a
// real failure to catch (docs/releases.md). It is off unless
// FAULT_ERROR_RATIO is above 0, and the staging and production manifests
// may not set it (deploy/policies/kubernetes/release.rego).
package fault

import (
	"context"
	"strings"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Message is the description of every failure the switch injects, so a
// log line or a test tells it from a real one.
const Message = "fault switch: this call failed on purpose (FAULT_ERROR_RATIO)"

// Switch fails ratio of the calls it sees, spread evenly: of any n
// consecutive calls, ratio*n rounded down or up fail. A counter rather
// than a random draw, so a test knows exactly how many fail.
type Switch struct {
	ratio float64
	calls atomic.Uint64
}

// New returns a switch failing ratio (0 to 1) of the calls; nil when
// ratio is 0 or less, which is off.
func New(ratio float64) *Switch {
	if ratio <= 0 {
		return nil
	}
	return &Switch{ratio: min(ratio, 1)}
}

// fail reports whether the next call fails: call n fails when the running
// count of failures owed, floor(n*ratio), grows at n.
func (s *Switch) fail() bool {
	n := s.calls.Add(1)
	return uint64(float64(n)*s.ratio) > uint64(float64(n-1)*s.ratio)
}

// exempt are the calls the switch never fails: the health checks that
// decide whether a pod gets traffic at all (a bad version must still
// start and serve, or no analysis would see it), and reflection.
func exempt(method string) bool {
	return strings.HasPrefix(method, "/grpc.health.v1.") || strings.HasPrefix(method, "/grpc.reflection.")
}

// UnaryServerInterceptor fails the switch's share of calls before their
// handler runs; with the switch off (nil) it passes every call through.
func (s *Switch) UnaryServerInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if s != nil && !exempt(info.FullMethod) && s.fail() {
			return nil, status.Error(codes.Unavailable, Message)
		}
		return handler(ctx, req)
	}
}
