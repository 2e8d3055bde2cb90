package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

func TestStaticKeys(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	keys := auth.StaticKeys{"k1": &key.PublicKey}
	got, err := keys.PublicKey(context.Background(), "k1")
	if err != nil || !got.Equal(&key.PublicKey) {
		t.Fatalf("k1: %v", err)
	}
	if _, err := keys.PublicKey(context.Background(), "k2"); !errors.Is(err, auth.ErrUnknownKey) {
		t.Fatalf("k2: got %v, want ErrUnknownKey", err)
	}
}
