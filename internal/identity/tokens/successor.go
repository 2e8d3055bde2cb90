package tokens

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
)

// successorLabel separates the sealing key from every other use of a
// refresh token (its stored hash is a plain SHA-256 of it).
const successorLabel = "shipshape refresh-token successor v1"

// SealSuccessor encrypts successor (AES-256-GCM) under a key derived from
// rotated, the token it replaces. Identity keeps no key of its own for it:
// only a holder of rotated can open the result, and the database holds only
// rotated's hash, so a stored seal alone reveals nothing.
func SealSuccessor(rotated, successor string) []byte {
	aead := successorAEAD(rotated)
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24+)
	return aead.Seal(nonce, nonce, []byte(successor), nil)
}

// OpenSuccessor returns the successor sealed by SealSuccessor for rotated;
// ok is false when sealed was not made with that token or was altered.
func OpenSuccessor(rotated string, sealed []byte) (successor string, ok bool) {
	aead := successorAEAD(rotated)
	if len(sealed) < aead.NonceSize() {
		return "", false
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	if err != nil {
		return "", false
	}
	return string(plain), true
}

func successorAEAD(rotated string) cipher.AEAD {
	mac := hmac.New(sha256.New, []byte(rotated))
	mac.Write([]byte(successorLabel))
	block, err := aes.NewCipher(mac.Sum(nil)) // 32 bytes: AES-256
	if err != nil {
		panic(err) // unreachable: the key length is fixed
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err) // unreachable: AES has GCM's block size
	}
	return aead
}
