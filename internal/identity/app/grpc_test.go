package app_test

import (
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
)

func TestGRPC(t *testing.T) {
	id := startIdentity(t, options{})
	c := identityv1.NewIdentityServiceClient(id.conn)
	ctx := t.Context()
	up, err := c.SignUp(ctx, &identityv1.SignUpRequest{Email: "ada@example.org", Password: goodPassword, Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.SignIn(ctx, &identityv1.SignInRequest{Email: "ada@example.org", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	me, err := c.GetMe(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+in.GetTokens().GetAccessToken()), &identityv1.GetMeRequest{})
	if err != nil || me.GetUser().GetId() != up.GetUser().GetId() {
		t.Fatalf("me: %v %v", me, err)
	}
	if _, err := c.GetMe(ctx, &identityv1.GetMeRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("anonymous me: %v", err)
	}
	_, err = c.SignUp(ctx, &identityv1.SignUpRequest{Email: "ada@example.org", Password: goodPassword, Name: "Ada"})
	if status.Code(err) != codes.AlreadyExists {
		t.Fatalf("duplicate: %v", err)
	}
	_, err = c.SignIn(ctx, &identityv1.SignInRequest{Email: "ada@example.org", Password: "wrong password"})
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("wrong password: %v", err)
	}
}
