package listeners

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// A REST request that is still running when shutdown begins may call our
// own gRPC server over the loopback connection: gRPC must still take that
// call, so the request ends with 200, not 503.
func TestStopServersLetsInFlightRESTRequestsCallGRPC(t *testing.T) {
	grpcLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	grpcSrv := grpc.NewServer()
	healthpb.RegisterHealthServer(grpcSrv, health.NewServer())
	go func() { _ = grpcSrv.Serve(grpcLis) }()
	t.Cleanup(grpcSrv.Stop)
	loopback, err := grpc.NewClient(grpcLis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = loopback.Close() })

	shuttingDown := make(chan struct{})
	entered := make(chan struct{})
	httpSrv := &http.Server{ReadHeaderTimeout: time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-shuttingDown // the gRPC call happens only once shutdown has begun
		if _, err := healthpb.NewHealthClient(loopback).Check(r.Context(), &healthpb.HealthCheckRequest{}); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})}
	httpSrv.RegisterOnShutdown(func() { close(shuttingDown) })
	httpLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = httpSrv.Serve(httpLis) }()

	status := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + httpLis.Addr().String())
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-entered
	deadline, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if errs := stopServers(deadline, httpSrv, grpcSrv); len(errs) != 1 || errs[0] != nil {
		t.Fatalf("stopServers: %v", errs)
	}
	if got := <-status; got != http.StatusOK {
		t.Fatalf("in-flight REST request ended with %d, want 200", got)
	}
}
