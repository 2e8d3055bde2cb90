package bootstrap_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// User tokens and service tokens must never share an audience.
func TestCommonRefusesTheServiceAudienceForUsers(t *testing.T) {
	var c bootstrap.Common
	err := config.LoadFrom(config.FromMap(map[string]string{"JWT_AUDIENCE": servicetoken.Audience}), &c)
	if err == nil || !strings.Contains(err.Error(), "config: JWT_AUDIENCE:") {
		t.Fatalf("got %v, want an error naming JWT_AUDIENCE", err)
	}
}

// Every service verifies service tokens: a bad one is refused before the
// service's own code runs, as a bad user token is.
func TestServeRefusesBadServiceTokens(t *testing.T) {
	iss := authtest.NewIssuer(t)
	rt, err := bootstrap.Start(t.Context(), "svctoken", loadCommon(t, iss.Env()))
	if err != nil {
		t.Fatal(err)
	}
	c, calls := serve(t, rt)
	// A user's token is no service token.
	ctx := metadata.AppendToOutgoingContext(context.Background(), servicetoken.MetadataKey, "Bearer "+iss.Token(t, "u1"))
	if _, err := c.EmptyCall(ctx, &testpb.Empty{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("got %v, want Unauthenticated", err)
	}
	select {
	case s := <-calls:
		t.Fatalf("the service's interceptor ran for a bad service token: %+v", s)
	default:
	}
}
