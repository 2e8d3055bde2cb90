package clustertest

import (
	"path/filepath"
	"testing"
)

// Cosign runs a cosign command (sign, attest, verify, verify-attestation,
// ...) with the cosign pinned in tools/go.mod against the test cluster's
// release registry: its CA (never skipped) and the credentials
// test/cluster/sign.sh wrote. env adds variables (COSIGN_PASSWORD for a
// key). It returns what cosign printed on stdout, and on failure an
// error that carries its stderr.
func Cosign(t testing.TB, env []string, command string, args ...string) (string, error) {
	t.Helper()
	state := State(t)
	argv := []string{"cosign", command}
	if command != "generate-key-pair" {
		argv = append(argv, "--registry-cacert", filepath.Join(state, "pki", "registry-ca.crt"))
	}
	return pinnedTool(repoRoot(t), append([]string{"DOCKER_CONFIG=" + filepath.Join(state, "registry-client")}, env...),
		append(argv, args...)...)
}

// CosignKeyPair makes a key pair in dir (cosign.key, encrypted with an
// empty password, and cosign.pub) and returns the two paths.
func CosignKeyPair(t testing.TB, dir string) (key, pub string) {
	t.Helper()
	prefix := filepath.Join(dir, "cosign")
	if _, err := Cosign(t, []string{"COSIGN_PASSWORD="}, "generate-key-pair", "--output-key-prefix", prefix); err != nil {
		t.Fatal(err)
	}
	return prefix + ".key", prefix + ".pub"
}

// SigningFlags are the flags test/cluster/sign.sh signs with besides the
// key: no transparency log, the tag-based formats (.sig, .att).
var SigningFlags = []string{"--yes", "--tlog-upload=false", "--new-bundle-format=false", "--use-signing-config=false"}
