package btrfscsi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc"
	registration "k8s.io/kubelet/pkg/apis/pluginregistration/v1"
)

// Config is what one driver process serves.
type Config struct {
	Name, Version, Node string
	// Pool is the mount point of the btrfs file system.
	Pool string
	// Socket is the CSI endpoint (a unix socket path).
	Socket string
	// RegistrationSocket, when set, is where the kubelet's plugin watcher
	// finds the driver (its plugins_registry directory).
	RegistrationSocket string
}

// Serve runs the driver until ctx ends, or until the kubelet refuses to
// register it. ready, if not nil, is closed once both sockets accept calls.
func Serve(ctx context.Context, c Config, log *slog.Logger, ready chan<- struct{}) error {
	if c.Name == "" || c.Node == "" || c.Pool == "" || c.Socket == "" {
		return errors.New("the driver name, node, pool and socket are required")
	}
	d, err := New(ctx, c.Name, c.Version, c.Node, c.Pool, log)
	if err != nil {
		return err
	}
	srv := grpc.NewServer(grpc.UnaryInterceptor(logErrors(log)))
	csi.RegisterIdentityServer(srv, d)
	csi.RegisterControllerServer(srv, d)
	csi.RegisterNodeServer(srv, d)
	// Each listener goes to its server at once; the server's Stop closes it.
	ln, err := listenUnix(c.Socket)
	if err != nil {
		return err
	}
	done := make(chan error, 2)
	go func() { done <- srv.Serve(ln) }()
	defer srv.Stop()

	refused := make(chan error, 1)
	if c.RegistrationSocket != "" {
		reg := grpc.NewServer()
		registration.RegisterRegistrationServer(reg, &registrar{d: d, endpoint: c.Socket, registered: refused})
		rln, err := listenUnix(c.RegistrationSocket)
		if err != nil {
			return err
		}
		go func() { done <- reg.Serve(rln) }()
		defer reg.Stop()
	}
	log.Info("serving", "driver", c.Name, "node", c.Node, "pool", c.Pool, "socket", c.Socket, "registration", c.RegistrationSocket)
	if ready != nil {
		close(ready)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-done:
			return err
		case err := <-refused:
			if err != nil {
				return err
			}
			log.Info("registered with the kubelet")
		}
	}
}

// listenUnix replaces a socket a previous run left behind.
func listenUnix(path string) (net.Listener, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", path, err)
	}
	return ln, nil
}

// logErrors logs every call that fails, with its method: the sidecars
// retry quietly, so the driver's log is where a failure is seen.
func logErrors(log *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		resp, err := h(ctx, req)
		if err != nil {
			log.Warn("call failed", "method", info.FullMethod, "err", err)
		}
		return resp, err
	}
}
