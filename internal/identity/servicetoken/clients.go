package servicetoken

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
	svctoken "github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// Clients maps each service that may obtain tokens to the SHA-256 of its
// secret. Only hashes are configured: identity cannot leak a secret it
// never holds, and the secrets are random, so a fast hash suffices.
type Clients map[string][sha256.Size]byte

// ParseClients reads "<client>=<sha256 hex>" entries separated by newlines
// or commas; blank entries and lines starting with # are skipped.
func ParseClients(text string) (Clients, error) {
	out := Clients{}
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

// LoadClients reads the clients file; no file means no clients (every
// exchange is refused). Errors name SERVICE_CLIENTS_FILE.
func LoadClients(file string) (Clients, error) {
	if file == "" {
		return Clients{}, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, config.Errorf("SERVICE_CLIENTS_FILE", "%v", err)
	}
	c, err := ParseClients(string(data))
	if err != nil {
		return nil, config.Errorf("SERVICE_CLIENTS_FILE", "%s: %v", file, err)
	}
	return c, nil
}

// HashSecret is the form a client's secret is configured in (hex SHA-256
// of the secret without surrounding whitespace), for tools that make
// secrets.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return hex.EncodeToString(sum[:])
}
