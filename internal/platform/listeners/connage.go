package listeners

import (
	"context"
	"net"
	"net/http"
	"time"
)

// The REST facade's answer to what MaxConnectionAge does for gRPC: callers
// (the gateway) keep HTTP/1.1 connections alive and busy, and a Service's
// ClusterIP picks a pod only when a connection opens, so a pod that joins
// later (a scale-out, a canary) would get none of an existing caller's
// requests. A connection older than the age answers its next request with
// "Connection: close"; the caller reconnects, and the new connection lands
// on any of the ready pods.

type connStartKey struct{}

// connStart records when each connection was accepted
// (http.Server.ConnContext).
func connStart(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connStartKey{}, time.Now())
}

// closeAged asks the client to close a connection older than age after
// this response; age 0 never does.
func closeAged(age time.Duration, next http.Handler) http.Handler {
	if age <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if began, ok := r.Context().Value(connStartKey{}).(time.Time); ok && time.Since(began) > age {
			w.Header().Set("Connection", "close")
		}
		next.ServeHTTP(w, r)
	})
}
