package usecase

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// ServiceClients maps each service that may obtain tokens to the SHA-256 of its
// secret. Only hashes are configured: identity cannot leak a secret it
// never holds, and the secrets are random, so a fast hash suffices.
type ServiceClients map[string][sha256.Size]byte

// ParseServiceClients reads "<client>=<sha256 hex>" entries separated by newlines
// or commas; blank entries and lines starting with # are skipped.
func ParseServiceClients(text string) (ServiceClients, error) {
	out := ServiceClients{}
	for line := range strings.SplitSeq(strings.ReplaceAll(text, ",", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, sum, ok := strings.Cut(line, "=")
		id, sum = strings.TrimSpace(id), strings.ToLower(strings.TrimSpace(sum))
		raw, err := hex.DecodeString(sum)
		switch {
		case !ok || !svctoken.ValidName(id):
			return nil, fmt.Errorf("entry %q: want <service name>=<sha256 hex>", line)
		case err != nil || len(raw) != sha256.Size:
			return nil, fmt.Errorf("client %s: the hash must be 64 hex digits (SHA-256 of the secret)", id)
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("client %s listed twice", id)
		}
		out[id] = [sha256.Size]byte(raw)
	}
	return out, nil
}

// HashServiceSecret is the form a client's secret is configured in (hex SHA-256
// of the secret without surrounding whitespace), for tools that make
// secrets.
func HashServiceSecret(secret string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return hex.EncodeToString(sum[:])
}
