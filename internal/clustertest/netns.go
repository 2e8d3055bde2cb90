package clustertest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// DialInNetns connects from the named network namespace (/run/netns, as
// `ip netns add` makes them), as a client on that network would, from
// the address from ("" for the one the namespace's routes choose). The
// socket is made on a thread moved into the namespace and keeps it; the
// thread is never moved back but ends with its goroutine (a locked
// goroutine that returns takes its thread along), so no other goroutine
// ever runs in the namespace.
func DialInNetns(ctx context.Context, netns, from, network, addr string) (net.Conn, error) {
	type result struct {
		conn net.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		ns, err := os.Open(filepath.Join("/run/netns", netns))
		if err != nil {
			done <- result{err: fmt.Errorf("network namespace %s: %w", netns, err)}
			return
		}
		defer ns.Close()
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- result{err: fmt.Errorf("entering network namespace %s: %w", netns, err)}
			return
		}
		var d net.Dialer
		if from != "" {
			d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
		}
		conn, err := d.DialContext(ctx, network, addr)
		done <- result{conn, err}
	}()
	r := <-done
	return r.conn, r.err
}

// EdgeClient is an HTTP client in the network namespace netns, at the
// address from ("" for the namespace's first), that sends every request
// to the address ip, whatever host its URL names (the port stays the
// URL's): a client whose resolver answered ip. It trusts roots alone for
// HTTPS (the system's roots if nil) and names the URL's host in TLS, as a
// browser would. It follows no redirect.
func EdgeClient(netns, from, ip string, roots *x509.CertPool) *http.Client {
	transport := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return DialInNetns(ctx, netns, from, network, net.JoinHostPort(ip, port))
		},
		TLSClientConfig:     &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: 64,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
