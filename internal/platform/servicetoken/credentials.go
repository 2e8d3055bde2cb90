package servicetoken

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
)

// perRPC sends the source's token under MetadataKey on every call.
type perRPC struct{ source *Source }

// Credentials are gRPC per-call credentials carrying the service's token
// (grpcclient.Config.Credentials).
func Credentials(source *Source) credentials.PerRPCCredentials { return perRPC{source} }

// GetRequestMetadata fails the call with Unavailable when no token can be
// had: gRPC would report any other error as Unauthenticated, which the
// calling service would pass to its own client as if the user's
// credentials were at fault.
func (c perRPC) GetRequestMetadata(ctx context.Context, _ ...string) (map[string]string, error) {
	token, err := c.source.Token(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, status.FromContextError(ctx.Err()).Err()
		}
		return nil, status.Errorf(codes.Unavailable, "no service token: %v", err)
	}
	return map[string]string{MetadataKey: "Bearer " + token}, nil
}

// RequireTransportSecurity is false: calls inside the cluster are
// plaintext today (docs/adr/0014).
func (perRPC) RequireTransportSecurity() bool { return false }
