package grpcapi

import (
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
)

func TestConversions(t *testing.T) {
	created := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	u := toProto(domain.User{ID: "id-1", Email: "ada@example.org", Name: "Ada", Roles: []string{"customer"},
		PasswordHash: "$argon2id$secret", CreateTime: created})
	if u.GetId() != "id-1" || u.GetEmail() != "ada@example.org" || u.GetName() != "Ada" || len(u.GetRoles()) != 1 ||
		!u.GetCreateTime().AsTime().Equal(created) {
		t.Fatalf("user %v", u)
	}
	tok := tokensToProto(domain.Tokens{Access: "a", Refresh: "r", AccessTTL: 15 * time.Minute})
	if tok.GetAccessToken() != "a" || tok.GetRefreshToken() != "r" || tok.GetExpiresIn() != 900 || tok.GetTokenType() != "Bearer" {
		t.Fatalf("tokens %v", tok)
	}
}
