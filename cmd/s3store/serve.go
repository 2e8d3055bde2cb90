package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

type config struct {
	addr, bucket, cert, key string
}

// serve runs the store until ctx ends; ready, if not nil, receives the
// listening address once requests are accepted.
func serve(ctx context.Context, c config, ready chan<- string) error {
	if c.bucket == "" || c.cert == "" || c.key == "" {
		return errors.New("-bucket, -cert and -key are required")
	}
	cert, err := tls.LoadX509KeyPair(c.cert, c.key)
	if err != nil {
		return fmt.Errorf("loading the certificate: %w", err)
	}
	// In memory, for the cluster's lifetime: gofakes3's file backend
	// answers a listing under a prefix no object has yet (pgBackRest's
	// first question to a new repository) with NoSuchBucket.
	backend := s3mem.New()
	if err := backend.CreateBucket(c.bucket); err != nil {
		return fmt.Errorf("creating bucket %s: %w", c.bucket, err)
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	srv := &http.Server{
		Handler:           gofakes3.New(backend).Server(),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	log.Info("serving", "addr", ln.Addr().String(), "bucket", c.bucket)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
