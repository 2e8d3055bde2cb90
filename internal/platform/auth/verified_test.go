package auth_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// swappableKeys is a key source whose keys a test replaces, as a JWKS
// refresh would.
type swappableKeys struct{ keys auth.StaticKeys }

func (s *swappableKeys) PublicKey(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	return s.keys.PublicKey(ctx, kid)
}

// A token used again has its signature checked once, and its claims each
// time: the second answer is the same principal.
func TestVerifierChecksATokensSignatureOnce(t *testing.T) {
	k := newTestKey(t)
	v := auth.NewVerifier(testIssuer, testAudience, auth.StaticKeys{k.signer.KeyID(): &k.priv.PublicKey})
	tok := sign(t, k, validClaims())
	for range 3 {
		p, err := v.Authenticate(context.Background(), tok)
		if err != nil || p.Subject != "user-1" || len(p.Roles) != 1 || p.Roles[0] != auth.RoleCustomer {
			t.Fatalf("got %+v, %v", p, err)
		}
	}
	if n := v.SignatureChecks(); n != 1 {
		t.Fatalf("%d signature checks for one token used three times, want 1", n)
	}
	// A second token is a second check.
	c := validClaims()
	c.Subject = "user-2"
	if p, err := v.Authenticate(context.Background(), sign(t, k, c)); err != nil || p.Subject != "user-2" {
		t.Fatalf("got %+v, %v", p, err)
	}
	if n := v.SignatureChecks(); n != 2 {
		t.Fatalf("%d signature checks for two tokens, want 2", n)
	}
}

// A remembered token still expires: its claims are checked on every use.
func TestVerifierRefusesARememberedTokenOnceExpired(t *testing.T) {
	k := newTestKey(t)
	v := auth.NewVerifier(testIssuer, testAudience, auth.StaticKeys{k.signer.KeyID(): &k.priv.PublicKey})
	now := time.Now()
	v.SetClock(func() time.Time { return now })
	tok := sign(t, k, validClaims()) // expires in 15 minutes
	if _, err := v.Authenticate(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	now = now.Add(15*time.Minute + 20*time.Second) // within the leeway
	if _, err := v.Authenticate(context.Background(), tok); err != nil {
		t.Fatalf("within the leeway: %v", err)
	}
	now = now.Add(time.Minute)
	_, err := v.Authenticate(context.Background(), tok)
	if e := apperr.As(err); e.Kind != apperr.KindUnauthenticated || e.Message != "token expired" {
		t.Fatalf("expired token: %v", err)
	}
	if v.Remembered() != 0 {
		t.Fatalf("%d signatures remembered after the only token expired", v.Remembered())
	}
}

// A key that is no longer published (or published anew under the same id)
// retires the tokens it verified at once.
func TestVerifierForgetsTokensOfARetiredKey(t *testing.T) {
	k, other := newTestKey(t), newTestKey(t)
	keys := &swappableKeys{auth.StaticKeys{k.signer.KeyID(): &k.priv.PublicKey}}
	v := auth.NewVerifier(testIssuer, testAudience, keys)
	tok := sign(t, k, validClaims())
	if _, err := v.Authenticate(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	keys.keys = auth.StaticKeys{k.signer.KeyID(): &other.priv.PublicKey}
	if _, err := v.Authenticate(context.Background(), tok); apperr.As(err).Kind != apperr.KindUnauthenticated {
		t.Fatalf("a token of a replaced key: %v", err)
	}
	keys.keys = auth.StaticKeys{other.signer.KeyID(): &other.priv.PublicKey}
	if _, err := v.Authenticate(context.Background(), tok); !errors.Is(err, auth.ErrUnknownKey) {
		t.Fatalf("a token of a removed key: %v", err)
	}
}

// A token that differs from a remembered one in any byte is checked anew:
// a forged signature on remembered claims is refused.
func TestVerifierChecksATamperedTokenAnew(t *testing.T) {
	k, other := newTestKey(t), newTestKey(t)
	v := auth.NewVerifier(testIssuer, testAudience, auth.StaticKeys{k.signer.KeyID(): &k.priv.PublicKey})
	c := validClaims()
	tok := sign(t, k, c)
	if _, err := v.Authenticate(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	// other's signature over the same header and claims: the header names k's id
	forged, err := jwt.NewWithClaims(jwt.SigningMethodES256, c).SignedString(other.priv)
	if err != nil {
		t.Fatal(err)
	}
	header := tok[:strings.IndexByte(tok, '.')]
	forged = header + forged[strings.IndexByte(forged, '.'):]
	if _, err := v.Authenticate(context.Background(), forged); apperr.As(err).Kind != apperr.KindUnauthenticated {
		t.Fatalf("a forged signature on remembered claims: %v", err)
	}
}

// The memory stays bounded however many tokens pass.
func TestVerifierRemembersABoundedNumber(t *testing.T) {
	k := newTestKey(t)
	v := auth.NewVerifier(testIssuer, testAudience, auth.StaticKeys{k.signer.KeyID(): &k.priv.PublicKey})
	for i := range auth.MaxVerified + 10 {
		c := validClaims()
		c.Subject = fmt.Sprintf("user-%d", i)
		if _, err := v.Authenticate(context.Background(), sign(t, k, c)); err != nil {
			t.Fatal(err)
		}
		if v.Remembered() > auth.MaxVerified {
			t.Fatalf("%d remembered, bound %d", v.Remembered(), auth.MaxVerified)
		}
	}
}

// BenchmarkVerify: a token's first check against its next ones.
func BenchmarkVerify(b *testing.B) {
	k := newTestKey(b)
	keys := auth.StaticKeys{k.signer.KeyID(): &k.priv.PublicKey}
	tok, err := k.signer.Sign(validClaims())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("first-use", func(b *testing.B) {
		for b.Loop() {
			v := auth.NewVerifier(testIssuer, testAudience, keys)
			if _, err := v.Authenticate(context.Background(), tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("used-again", func(b *testing.B) {
		v := auth.NewVerifier(testIssuer, testAudience, keys)
		for b.Loop() {
			if _, err := v.Authenticate(context.Background(), tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}
