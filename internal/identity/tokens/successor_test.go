package tokens_test

import (
	"bytes"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
)

func TestSealedSuccessorOpensOnlyWithTheRotatedToken(t *testing.T) {
	rotated, rotatedHash := tokens.NewRefresh()
	successor, _ := tokens.NewRefresh()
	sealed := tokens.SealSuccessor(rotated, successor)
	if got, ok := tokens.OpenSuccessor(rotated, sealed); !ok || got != successor {
		t.Fatalf("open: %q %v", got, ok)
	}
	if bytes.Contains(sealed, []byte(successor)) {
		t.Fatal("the successor is readable in the seal")
	}
	if again := tokens.SealSuccessor(rotated, successor); bytes.Equal(again, sealed) {
		t.Fatal("sealing is deterministic (nonce reused)")
	}
	other, _ := tokens.NewRefresh()
	if _, ok := tokens.OpenSuccessor(other, sealed); ok {
		t.Fatal("another token opened the seal")
	}
	// Knowing what the database stores (the hash) is not enough either.
	if _, ok := tokens.OpenSuccessor(string(rotatedHash), sealed); ok {
		t.Fatal("the stored hash opened the seal")
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	for _, bad := range [][]byte{tampered, sealed[:5], nil} {
		if _, ok := tokens.OpenSuccessor(rotated, bad); ok {
			t.Fatalf("opened %x", bad)
		}
	}
}
