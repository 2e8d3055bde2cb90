package testpki

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// A client that trusts the CA reaches a server with an issued certificate
// by name and by address; one that trusts another CA is refused.
func TestIssuedCertificateVerifies(t *testing.T) {
	ca, err := NewCA("test-ca")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue("127.0.0.1", "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if !cert.Leaf.IPAddresses[0].Equal(net.IPv4(127, 0, 0, 1)) || cert.Leaf.DNSNames[0] != "localhost" || cert.Leaf.IsCA {
		t.Fatalf("issued %v %v (CA %v)", cert.Leaf.IPAddresses, cert.Leaf.DNSNames, cert.Leaf.IsCA)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	defer srv.Close()

	get := func(pool *x509.CertPool, url string) error {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, url := range []string{srv.URL, "https://localhost" + port} {
		if err := get(ca.Pool(), url); err != nil {
			t.Errorf("%s: %v", url, err)
		}
	}
	other, err := NewCA("other-ca")
	if err != nil {
		t.Fatal(err)
	}
	if err := get(other.Pool(), srv.URL); err == nil || !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Errorf("a client trusting another CA: %v, want unknown authority", err)
	}
	if pem := string(CertPEM(ca.Cert)); !strings.HasPrefix(pem, "-----BEGIN CERTIFICATE-----") {
		t.Errorf("CertPEM: %q", pem)
	}
	if key, err := KeyPEM(cert); err != nil || !strings.HasPrefix(string(key), "-----BEGIN PRIVATE KEY-----") {
		t.Errorf("KeyPEM: %v %q", err, key)
	}
}

func TestIssueFilesWritesAPairTLSLoads(t *testing.T) {
	ca, err := NewCA("files-ca")
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile, err := ca.IssueFiles(t.TempDir(), "localhost", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := pair.Leaf.VerifyHostname("localhost"); err != nil {
		t.Error(err)
	}
	if _, err := pair.Leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("the written certificate does not verify against its CA: %v", err)
	}
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
}
