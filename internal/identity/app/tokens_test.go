package app_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// publishedKids fetches the JWKS over HTTP and returns its key ids.
func publishedKids(t *testing.T, id *identity) []string {
	t.Helper()
	resp, err := http.Get(id.rest + app.JWKSPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("JWKS: %d %v", resp.StatusCode, resp.Header)
	}
	var set struct{ Keys []struct{ Kid string } }
	if err := jsonDecode(resp, &set); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range set.Keys {
		kids = append(kids, k.Kid)
	}
	return kids
}

// kidOf reads a token's key id without verifying it.
func kidOf(t *testing.T, token string) string {
	t.Helper()
	parsed, _, err := jwt.NewParser().ParseUnverified(token, &auth.Claims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := parsed.Header["kid"].(string)
	return kid
}

func kidOfKey(t *testing.T, file string) string {
	t.Helper()
	set, err := loadSigner(file)
	if err != nil {
		t.Fatal(err)
	}
	return set.KeyID()
}

// The access token verifies the way every other service verifies it: with
// the JWKS fetched over HTTP from identity's REST listener.
func TestAccessTokenVerifiesAgainstServedJWKS(t *testing.T) {
	id := startIdentity(t, options{})
	user := id.signUp(t, "ada@example.org")
	access, _ := id.signIn(t, "ada@example.org")
	v := auth.NewVerifier("shipshape-identity", "shipshape", auth.NewJWKS(id.rest+app.JWKSPath, nil))
	p, err := v.Authenticate(t.Context(), access)
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != user["id"] || !slices.Equal(p.Roles, []string{"customer"}) {
		t.Fatalf("principal %+v", p)
	}
	var c auth.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(access, &c); err != nil {
		t.Fatal(err)
	}
	if c.Email != "ada@example.org" || c.ID == "" || c.NotBefore == nil || c.IssuedAt == nil ||
		c.ExpiresAt.Sub(c.IssuedAt.Time) != 15*time.Minute {
		t.Fatalf("claims %+v", c)
	}
	// Another audience must refuse it.
	other := auth.NewVerifier("shipshape-identity", "elsewhere", auth.NewJWKS(id.rest+app.JWKSPath, nil))
	if _, err := other.Authenticate(t.Context(), access); err == nil {
		t.Fatal("token accepted for another audience")
	}
}

func TestIssuerAndAudienceComeFromConfig(t *testing.T) {
	id := startIdentity(t, options{env: map[string]string{"JWT_ISSUER": "https://id.example", "JWT_AUDIENCE": "shop"}})
	id.signUp(t, "ada@example.org")
	access, _ := id.signIn(t, "ada@example.org")
	v := auth.NewVerifier("https://id.example", "shop", auth.NewJWKS(id.rest+app.JWKSPath, nil))
	if _, err := v.Authenticate(t.Context(), access); err != nil {
		t.Fatal(err)
	}
	if status, _ := stacktest.Call(t, "GET", id.rest+"/v1/me", "", stacktest.Bearer(access)); status != http.StatusOK {
		t.Fatalf("me: %d", status)
	}
}

// Rotation: a restart with a new active key and the old one as previous
// keeps old tokens working, publishes both keys and signs with the new one.
func TestKeyRotation(t *testing.T) {
	keyA, _ := identitytest.KeyFile(t)
	keyB, _ := identitytest.KeyFile(t)
	kidA, kidB := kidOfKey(t, keyA), kidOfKey(t, keyB)

	first := startIdentity(t, options{keyFile: keyA})
	first.signUp(t, "ada@example.org")
	oldAccess, oldRefresh := first.signIn(t, "ada@example.org")
	if kidOf(t, oldAccess) != kidA || !slices.Equal(publishedKids(t, first), []string{kidA}) {
		t.Fatal("key A is not the one in use")
	}
	first.stop()

	second := startIdentity(t, options{dbURL: first.dbURL, keyFile: keyB, previous: []string{keyA}})
	if status, body := stacktest.Call(t, "GET", second.rest+"/v1/me", "", stacktest.Bearer(oldAccess)); status != http.StatusOK {
		t.Fatalf("token signed with the previous key: %d %v", status, body)
	}
	if kids := publishedKids(t, second); !slices.Equal(kids, []string{kidB, kidA}) {
		t.Fatalf("published %v, want [B A]", kids)
	}
	newAccess, _ := second.signIn(t, "ada@example.org")
	if kidOf(t, newAccess) != kidB {
		t.Fatal("new tokens are not signed with key B")
	}
	// Sessions survive the rotation: refresh tokens are not signed.
	status, body := second.refresh(t, oldRefresh)
	if status != http.StatusOK || kidOf(t, body["accessToken"].(string)) != kidB {
		t.Fatalf("refresh across the rotation: %d %v", status, body)
	}
	// Once A is dropped, its tokens stop working.
	second.stop()
	third := startIdentity(t, options{dbURL: first.dbURL, keyFile: keyB})
	if status, _ := stacktest.Call(t, "GET", third.rest+"/v1/me", "", stacktest.Bearer(oldAccess)); status != http.StatusUnauthorized {
		t.Fatalf("token of a retired key: %d, want 401", status)
	}
}

func TestExpiredOrForeignAccessTokenIsRefused(t *testing.T) {
	keyFile, key := identitytest.KeyFile(t)
	id := startIdentity(t, options{keyFile: keyFile})
	user := id.signUp(t, "ada@example.org")
	signer, err := auth.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	claims := func(exp time.Time) auth.Claims {
		return auth.Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: "shipshape-identity", Audience: jwt.ClaimStrings{"shipshape"},
			Subject: user["id"].(string), IssuedAt: jwt.NewNumericDate(exp.Add(-15 * time.Minute)), ExpiresAt: jwt.NewNumericDate(exp),
			ID: uuid.NewString()}, Roles: []string{"customer"}}
	}
	valid, _ := signer.Sign(claims(time.Now().Add(time.Minute)))
	if status, _ := stacktest.Call(t, "GET", id.rest+"/v1/me", "", stacktest.Bearer(valid)); status != http.StatusOK {
		t.Fatalf("control: a valid hand-signed token got %d", status)
	}
	expired, _ := signer.Sign(claims(time.Now().Add(-time.Hour)))
	if status, body := stacktest.Call(t, "GET", id.rest+"/v1/me", "", stacktest.Bearer(expired)); status != http.StatusUnauthorized || body["code"] != "UNAUTHENTICATED" {
		t.Fatalf("expired token: %d %v", status, body)
	}
	_, foreignKey := identitytest.KeyFile(t)
	foreign, _ := auth.NewSigner(foreignKey)
	forged, _ := foreign.Sign(claims(time.Now().Add(time.Minute)))
	if status, _ := stacktest.Call(t, "GET", id.rest+"/v1/me", "", stacktest.Bearer(forged)); status != http.StatusUnauthorized {
		t.Fatalf("token of an unknown key: %d", status)
	}
}
