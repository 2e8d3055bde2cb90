package main

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/testpki"
)

// startStore runs serve on a free loopback port with a certificate for
// localhost and returns its base URL, a client that trusts it, and a stop
// function that waits for serve to return.
func startStore(t *testing.T) (string, *http.Client, func() error) {
	t.Helper()
	ca, err := testpki.NewCA("s3store-test-ca")
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile, err := ca.IssueFiles(t.TempDir(), "localhost")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- serve(ctx, config{addr: "127.0.0.1:0", bucket: "backups", cert: certFile, key: keyFile}, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve returned before listening: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool(), ServerName: "localhost"}}}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { _ = stop() })
	return "https://" + addr, client, stop
}

func call(t *testing.T, client *http.Client, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// The bucket exists from the start: a listing under a prefix nothing is
// stored at yet (pgBackRest's first request to a new repository) is an
// empty list, an object put is read back, a bucket never created is
// NoSuchBucket, and the store shuts down cleanly.
func TestStoreServesTheBucketItCreated(t *testing.T) {
	url, client, stop := startStore(t)
	status, body := call(t, client, http.MethodGet, url+"/backups/?list-type=2&delimiter=%2F&prefix=repo%2Farchive%2F", "")
	if status != http.StatusOK || !strings.Contains(body, "<ListBucketResult") || strings.Contains(body, "<Contents>") {
		t.Fatalf("listing a new repository's prefix: %d %s, want an empty list", status, body)
	}
	if status, body := call(t, client, http.MethodPut, url+"/backups/repo/backup.info", "the repository's index"); status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, body)
	}
	if status, body := call(t, client, http.MethodGet, url+"/backups/repo/backup.info", ""); status != http.StatusOK || body != "the repository's index" {
		t.Fatalf("GET: %d %q", status, body)
	}
	if status, body := call(t, client, http.MethodGet, url+"/nothing-here/x", ""); status != http.StatusNotFound || !strings.Contains(body, "NoSuchBucket") {
		t.Fatalf("GET from a bucket never created: %d %s, want 404 NoSuchBucket", status, body)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func TestServeRefusesAnIncompleteConfiguration(t *testing.T) {
	err := serve(context.Background(), config{addr: "127.0.0.1:0"}, nil)
	if err == nil || !strings.Contains(err.Error(), "-bucket") {
		t.Fatalf("serve without bucket and certificate: %v, want the missing flags named", err)
	}
}
