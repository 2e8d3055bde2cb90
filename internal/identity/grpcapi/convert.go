package grpcapi

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/domain"
)

// toProto is the public view of an account: never the password hash.
func toProto(u domain.User) *identityv1.User {
	return &identityv1.User{Id: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles, CreateTime: timestamppb.New(u.CreateTime)}
}

func tokensToProto(t domain.Tokens) *identityv1.Tokens {
	return &identityv1.Tokens{AccessToken: t.Access, RefreshToken: t.Refresh,
		ExpiresIn: int32(t.AccessTTL.Seconds()), TokenType: "Bearer"}
}
