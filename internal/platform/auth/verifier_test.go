package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

const (
	testIssuer   = "shipshape-identity"
	testAudience = "shipshape"
)

type testKey struct {
	priv   *ecdsa.PrivateKey
	signer *auth.Signer
}

func newTestKey(t testing.TB) testKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := auth.NewSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{priv, s}
}

// validClaims are accepted; each refusal case breaks exactly one thing.
func validClaims() auth.Claims {
	now := time.Now()
	return auth.Claims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer: testIssuer, Audience: jwt.ClaimStrings{testAudience}, Subject: "user-1",
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(15 * time.Minute)),
	}, Roles: []string{auth.RoleCustomer}}
}

func sign(t *testing.T, k testKey, c auth.Claims) string {
	t.Helper()
	tok, err := k.signer.Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifierAcceptsValidToken(t *testing.T) {
	k := newTestKey(t)
	v := auth.NewVerifier(testIssuer, testAudience, auth.StaticKeys{k.signer.KeyID(): &k.priv.PublicKey})
	c := validClaims()
	c.Roles = []string{auth.RoleCustomer, auth.RoleAdmin}
	p, err := v.Authenticate(context.Background(), sign(t, k, c))
	if err != nil || p.Subject != "user-1" || !slices.Equal(p.Roles, c.Roles) {
		t.Fatalf("got %+v, %v", p, err)
	}

	// Clock skew within the leeway is tolerated.
	c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-10 * time.Second))
	if _, err := v.Authenticate(context.Background(), sign(t, k, c)); err != nil {
		t.Fatalf("token expired 10s ago: %v", err)
	}
}

func TestVerifierRefuses(t *testing.T) {
	k, other := newTestKey(t), newTestKey(t)
	v := auth.NewVerifier(testIssuer, testAudience, auth.StaticKeys{k.signer.KeyID(): &k.priv.PublicKey})
	with := func(change func(*auth.Claims)) string {
		c := validClaims()
		change(&c)
		return sign(t, k, c)
	}
	hour := time.Hour
	good := with(func(*auth.Claims) {})
	admin := with(func(c *auth.Claims) { c.Roles = []string{auth.RoleAdmin} })

	cases := map[string]string{
		"expired":           with(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-hour)) }),
		"no expiry":         with(func(c *auth.Claims) { c.ExpiresAt = nil }),
		"not yet valid":     with(func(c *auth.Claims) { c.NotBefore = jwt.NewNumericDate(time.Now().Add(hour)) }),
		"issued in future":  with(func(c *auth.Claims) { c.IssuedAt = jwt.NewNumericDate(time.Now().Add(hour)) }),
		"wrong issuer":      with(func(c *auth.Claims) { c.Issuer = "someone-else" }),
		"wrong audience":    with(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"other-app"} }),
		"no audience":       with(func(c *auth.Claims) { c.Audience = nil }),
		"no subject":        with(func(c *auth.Claims) { c.Subject = "" }),
		"unknown key":       sign(t, other, validClaims()),
		"no key id":         signWith(t, jwt.SigningMethodES256, "", k.priv, validClaims()),
		"key id of another": signWith(t, jwt.SigningMethodES256, k.signer.KeyID(), other.priv, validClaims()),
		"alg none":          signWith(t, jwt.SigningMethodNone, k.signer.KeyID(), jwt.UnsafeAllowNoneSignatureType, validClaims()),
		"HS256 with the public key": signWith(t, jwt.SigningMethodHS256, k.signer.KeyID(),
			mustBytes(k.priv.PublicKey.Bytes()), validClaims()),
		// The payload of an admin token under the signature of a customer one.
		"tampered payload": strings.Join([]string{part(good, 0), part(admin, 1), part(good, 2)}, "."),
		"garbage":          "not-a-token",
		"three garbage":    "a.b.c",
	}
	for name, tok := range cases {
		p, err := v.Authenticate(context.Background(), tok)
		if !apperr.Is(err, apperr.KindUnauthenticated) {
			t.Errorf("%s: got %+v, %v; want Unauthenticated", name, p, err)
		}
	}
	if _, err := v.Authenticate(context.Background(), cases["expired"]); apperr.As(err).Message != "token expired" {
		t.Errorf("expired: message %q, want \"token expired\" so clients refresh", apperr.As(err).Message)
	}
	if _, err := v.Authenticate(context.Background(), good); err != nil {
		t.Fatalf("control: %v", err)
	}
}

type keySourceFunc func(ctx context.Context, kid string) (*ecdsa.PublicKey, error)

func (f keySourceFunc) PublicKey(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	return f(ctx, kid)
}

// Unreachable keys are not the token's fault: Unavailable, so clients retry
// instead of dropping a good token.
func TestVerifierKeysUnavailable(t *testing.T) {
	k := newTestKey(t)
	down := errors.New("identity unreachable")
	v := auth.NewVerifier(testIssuer, testAudience, keySourceFunc(func(context.Context, string) (*ecdsa.PublicKey, error) {
		return nil, down
	}))
	_, err := v.Authenticate(context.Background(), sign(t, k, validClaims()))
	if !apperr.Is(err, apperr.KindUnavailable) || !errors.Is(err, down) {
		t.Fatalf("got %v, want Unavailable wrapping the cause", err)
	}
}

func TestNewVerifierNeedsIssuerAndAudience(t *testing.T) {
	for _, args := range [][2]string{{"", testAudience}, {testIssuer, ""}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewVerifier(%q, %q) did not panic", args[0], args[1])
				}
			}()
			auth.NewVerifier(args[0], args[1], auth.StaticKeys{})
		}()
	}
}

func signWith(t *testing.T, m jwt.SigningMethod, kid string, key any, c auth.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustBytes(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func part(tok string, i int) string { return strings.Split(tok, ".")[i] }

// A token without a key id is refused before the key source is asked, so it
// cannot make a JWKS key source fetch.
func TestVerifierNoKeyIDSkipsKeySource(t *testing.T) {
	k := newTestKey(t)
	asked := 0
	v := auth.NewVerifier(testIssuer, testAudience, keySourceFunc(func(context.Context, string) (*ecdsa.PublicKey, error) {
		asked++
		return &k.priv.PublicKey, nil
	}))
	_, err := v.Authenticate(context.Background(), signWith(t, jwt.SigningMethodES256, "", k.priv, validClaims()))
	if !apperr.Is(err, apperr.KindUnauthenticated) || asked != 0 {
		t.Fatalf("got %v after %d key lookups, want Unauthenticated after none", err, asked)
	}
}
