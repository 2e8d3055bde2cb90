package manifests_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestDevSecrets: scripts/dev-secrets.sh makes every secret the
// development overlay reads (a random password per service and per
// Patroni user, a secret per service client and identity's file of their
// hashes, a P-256 signing key, PostgreSQL's TLS certificate and CA),
// private to the user, and keeps them on a second run.
func TestDevSecrets(t *testing.T) {
	tb := box(t)
	dir := t.TempDir()
	runScript := func() {
		if _, err := manifestcheck.RunCommand(exec.Command("sh", tb.Path("scripts", "dev-secrets.sh"), dir)); err != nil {
			t.Fatal(err)
		}
	}
	runScript()
	first := map[string][]byte{}
	passwords := map[string]bool{}
	for _, file := range []string{"identity-database-password", "catalog-database-password", "cart-database-password",
		"orders-database-password", "postgres-superuser-password", "postgres-replication-password", "postgres-rewind-password",
		"postgres-restapi-password", "orders-service-client-secret", "cart-service-client-secret"} {
		file := filepath.Join(dir, file)
		data := readPrivate(t, file)
		if !regexp.MustCompile(`^[A-Za-z0-9]{32}$`).Match(data) {
			t.Errorf("%s: want 32 letters and digits, got %d bytes", file, len(data))
		}
		if passwords[string(data)] {
			t.Errorf("%s repeats another password", file)
		}
		passwords[string(data)] = true
		first[file] = data
	}
	// identity's service clients: the SHA-256 of each client's secret.
	clientsFile := filepath.Join(dir, "service-clients")
	want := ""
	for _, client := range []string{"orders", "cart"} {
		sum := sha256.Sum256(first[filepath.Join(dir, client+"-service-client-secret")])
		want += client + "=" + hex.EncodeToString(sum[:]) + "\n"
	}
	if got := string(readPrivate(t, clientsFile)); got != want {
		t.Errorf("service-clients:\n%s\nwant the hashes of the client secrets:\n%s", got, want)
	}
	first[clientsFile] = readPrivate(t, clientsFile)

	keyFile := filepath.Join(dir, "jwt-signing-key.pem")
	block, _ := pem.Decode(readPrivate(t, keyFile))
	if block == nil {
		t.Fatal("signing key is not PEM")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if ec, ok := key.(*ecdsa.PrivateKey); !ok || ec.Curve != elliptic.P256() {
		t.Fatalf("signing key is %T, want an ECDSA P-256 key (identity signs ES256)", key)
	}
	first[keyFile] = readPrivate(t, keyFile)

	// PostgreSQL's certificate: signed by the development CA for the names
	// the services use, with its own key.
	caFile, certFile, tlsKeyFile := filepath.Join(dir, "postgres-ca.crt"), filepath.Join(dir, "postgres-tls.crt"), filepath.Join(dir, "postgres-tls.key")
	pair, err := tls.X509KeyPair(readPrivate(t, certFile), readPrivate(t, tlsKeyFile))
	if err != nil {
		t.Fatalf("PostgreSQL's certificate and key: %v", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(readPrivate(t, caFile)) {
		t.Fatal("postgres-ca.crt holds no certificate")
	}
	for _, name := range []string{"postgres", "postgres.shipshape.svc.cluster.local", "postgres-replicas.shipshape.svc"} {
		if _, err := pair.Leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots}); err != nil {
			t.Errorf("PostgreSQL's certificate for %s: %v", name, err)
		}
	}
	if _, err := pair.Leaf.Verify(x509.VerifyOptions{DNSName: "identity", Roots: roots}); err == nil {
		t.Error("PostgreSQL's certificate is valid for identity too")
	}
	for _, f := range []string{caFile, certFile, tlsKeyFile} {
		first[f] = readPrivate(t, f)
	}

	runScript()
	for file, data := range first {
		if again := readPrivate(t, file); string(again) != string(data) {
			t.Errorf("%s changed on the second run", file)
		}
	}
}

// TestDevSecretsAreIgnored: the development overlay's secrets directory
// keeps everything but its .gitignore out of git.
func TestDevSecretsAreIgnored(t *testing.T) {
	tb := box(t)
	dir := tb.Path("deploy", "kubernetes", "apps", "development", "secrets")
	out, err := manifestcheck.RunCommand(exec.Command("git", "-C", tb.Root, "check-ignore", "--no-index",
		filepath.Join(dir, "catalog-database-password"), filepath.Join(dir, "jwt-signing-key.pem")))
	if err != nil || len(regexp.MustCompile(`\n`).FindAll(out, -1)) != 2 {
		t.Fatalf("git must ignore the generated secrets: %v\n%s", err, out)
	}
}

func readPrivate(t *testing.T, file string) []byte {
	t.Helper()
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		t.Errorf("%s is readable by others (%v)", file, info.Mode().Perm())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
