package devstack

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
)

// tokenSigner is the service that signs tokens (identity), if any.
func tokenSigner(services []Service) (Service, bool) {
	i := slices.IndexFunc(services, func(s Service) bool { return s.SigningKey })
	if i < 0 {
		return Service{}, false
	}
	return services[i], true
}

// serviceClients are the services that call the token signer: each
// exchanges client credentials there for its service token.
func serviceClients(services []Service) []string {
	signer, ok := tokenSigner(services)
	if !ok {
		return nil
	}
	var out []string
	for _, s := range services {
		if slices.Contains(s.Calls, signer.Name) {
			out = append(out, s.Name)
		}
	}
	return out
}

// writeServiceSecrets makes a new random secret for every service client
// in dir, one file each, and the file of their hashes that the token
// signer reads. New ones on every run: nothing needs them to survive, so
// none lingers.
func writeServiceSecrets(dir string, services []Service) (secrets map[string]string, clientsFile string, err error) {
	secrets = map[string]string{}
	var hashes strings.Builder
	for _, name := range serviceClients(services) {
		secret := rand.Text() + rand.Text() // 52 base32 characters, 260 bits
		secrets[name] = filepath.Join(dir, name+"-client-secret")
		if err := os.WriteFile(secrets[name], []byte(secret+"\n"), 0o600); err != nil {
			return nil, "", err
		}
		hashes.WriteString(name + "=" + usecase.HashServiceSecret(secret) + "\n")
	}
	clientsFile = filepath.Join(dir, "service-clients")
	return secrets, clientsFile, os.WriteFile(clientsFile, []byte(hashes.String()), 0o600)
}
