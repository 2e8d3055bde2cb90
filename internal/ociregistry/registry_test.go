package ociregistry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape/internal/freeport"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/testpki"
)

// registry is one running registry of the test, stopped at its end.
type registry struct {
	addr string
	ca   *testpki.CA
}

// startRegistry runs the pinned registry binary with TLS (a CA of the
// test's own) and one account, as the test cluster's harness does.
func startRegistry(t *testing.T, user, password string) registry {
	t.Helper()
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := repo.EnsureTool(Tool)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := freeport.Addr()
	if err != nil {
		t.Fatal(err)
	}
	ca, err := testpki.NewCA("registry-test-ca")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile, err := ca.IssueFiles(dir, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	config, err := WriteConfig(Config{Dir: dir, Addr: addr, CertFile: certFile, KeyFile: keyFile, User: user, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", config)
	cmd.Env = append(os.Environ(), Env...)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("registry's log:\n%s", logs.String())
		}
	})
	waitReady(t, addr, ca.Pool(), exited)
	return registry{addr: addr, ca: ca}
}

// waitReady polls the registry's API root until it answers (401: it
// wants credentials), bounded, or fails when the process exits.
func waitReady(t *testing.T, addr string, roots *x509.CertPool, exited <-chan error) {
	t.Helper()
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get("https://" + addr + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
				return
			}
			t.Fatalf("registry's /v2/ answered %s without credentials, want 401", resp.Status)
		}
		select {
		case err := <-exited:
			t.Fatalf("registry exited: %v", err)
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			t.Fatalf("registry on %s not answering after 30s: %v", addr, err)
		}
	}
}

// writeArchive writes a random image as a docker-archive tarball, as
// imagepack writes the project's images.
func writeArchive(t *testing.T) string {
	t.Helper()
	img, err := random.Image(4096, 2)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "image.tar")
	if err := tarball.WriteToFile(path, name.MustParseReference("shipshape/test:dev"), img); err != nil {
		t.Fatal(err)
	}
	return path
}

// A pushed image is served by the digest of the image itself, by tag and by
// digest, to the account only, over TLS verified against the registry's CA.
func TestPushThenPullByDigest(t *testing.T) {
	reg := startRegistry(t, "release", "s3cret-for-the-test")
	ctx := context.Background()
	archive := writeArchive(t)
	client := Client{User: "release", Password: "s3cret-for-the-test", Roots: reg.ca.Pool()}
	ref := reg.addr + "/shipshape/test:dev"

	digest, err := client.Push(ctx, archive, ref)
	if err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(archive, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := img.Digest(); digest != want {
		t.Fatalf("pushed as %s, the image is %s", digest, want)
	}
	byDigest := reg.addr + "/shipshape/test@" + digest.String()
	if got, err := client.Digest(ctx, byDigest); err != nil || got != digest {
		t.Fatalf("by digest: %v %v", got, err)
	}
	// Pushing the same image again changes nothing: same digest.
	if again, err := client.Push(ctx, archive, ref); err != nil || again != digest {
		t.Fatalf("second push: %v %v, want %s", again, err, digest)
	}

	refused := map[string]Client{
		"no account":     {Roots: reg.ca.Pool()},
		"wrong password": {User: "release", Password: "guess", Roots: reg.ca.Pool()},
	}
	for what, c := range refused {
		_, err := c.Digest(ctx, byDigest)
		if err == nil || !strings.Contains(err.Error(), "401 Unauthorized") {
			t.Errorf("%s: %v, want 401 Unauthorized", what, err)
		}
	}
	other, err := testpki.NewCA("another-ca")
	if err != nil {
		t.Fatal(err)
	}
	untrusting := Client{User: "release", Password: "s3cret-for-the-test", Roots: other.Pool()}
	var unknown x509.UnknownAuthorityError
	if _, err := untrusting.Digest(ctx, byDigest); !errors.As(err, &unknown) {
		t.Errorf("a client that does not trust the registry's CA: %v, want an unknown-authority error", err)
	}
}

// A bad reference or a missing archive is named in the error, and nothing
// is pushed.
func TestPushRefusesBadInput(t *testing.T) {
	c := Client{User: "u", Password: "p"}
	if _, err := c.Push(context.Background(), "/nonexistent.tar", "127.0.0.1:1/shipshape/x:dev"); err == nil || !strings.Contains(err.Error(), "/nonexistent.tar") {
		t.Errorf("missing archive: %v", err)
	}
	if _, err := c.Push(context.Background(), "/nonexistent.tar", "Not A Ref"); err == nil || !strings.Contains(err.Error(), `"Not A Ref"`) {
		t.Errorf("bad reference: %v", err)
	}
}

// The configuration refuses to run a registry anyone can push to.
func TestConfigNeedsAnAccount(t *testing.T) {
	if _, err := WriteConfig(Config{Dir: t.TempDir(), Addr: "127.0.0.1:0"}); err == nil {
		t.Fatal("a registry without an account was configured")
	}
}

// The harness's files give the client its account and CA; a missing or
// non-PEM CA file, or no password file, is named in the error.
func TestClientFromFiles(t *testing.T) {
	dir := t.TempDir()
	ca, err := testpki.NewCA("files-ca")
	if err != nil {
		t.Fatal(err)
	}
	caFile, password, notPEM := filepath.Join(dir, "ca.crt"), filepath.Join(dir, "password"), filepath.Join(dir, "not.pem")
	for file, data := range map[string][]byte{caFile: testpki.CertPEM(ca.Cert), password: []byte("s3cret\n"), notPEM: []byte("hello")} {
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := ClientFromFiles("release", caFile, password)
	if err != nil || c.User != "release" || c.Password != "s3cret" || c.Roots == nil {
		t.Fatalf("ClientFromFiles: %+v %v", c, err)
	}
	for _, bad := range []struct{ ca, password, want string }{
		{notPEM, password, "no PEM certificate"},
		{filepath.Join(dir, "missing"), password, "CA file"},
		{caFile, "", "password file is required"},
	} {
		if _, err := ClientFromFiles("release", bad.ca, bad.password); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ClientFromFiles(%s, %q): %v, want %q", bad.ca, bad.password, err, bad.want)
		}
	}
}
