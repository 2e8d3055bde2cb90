// Command btrfs-csi is the test cluster's storage driver
// (internal/btrfscsi): volumes are btrfs subvolumes of the pool mounted at
// -pool, snapshots are atomic read-only snapshots of them. test/cluster
// starts it on the node beside the kubelet, with the upstream CSI sidecars.
// Test infrastructure, never deployed.
//
//	btrfs-csi -node NAME -pool DIR -socket PATH [-registration PATH]
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/shipshape-dev/shipshape/internal/btrfscsi"
)

func main() {
	var c btrfscsi.Config
	flag.StringVar(&c.Name, "name", "btrfs.csi.shipshape.dev", "the CSI driver's name (the StorageClass provisioner)")
	flag.StringVar(&c.Node, "node", "", "the Kubernetes node this pool is on")
	flag.StringVar(&c.Pool, "pool", "", "mount point of the btrfs file system holding the volumes")
	flag.StringVar(&c.Socket, "socket", "", "the CSI endpoint: a unix socket path")
	flag.StringVar(&c.RegistrationSocket, "registration", "", "socket in the kubelet's plugins_registry directory (none: no registration)")
	flag.Parse()
	c.Version = "1.0.0"
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := btrfscsi.Serve(ctx, c, slog.New(slog.NewJSONHandler(os.Stderr, nil)), nil); err != nil {
		fmt.Fprintln(os.Stderr, "btrfs-csi:", err)
		os.Exit(1)
	}
}
