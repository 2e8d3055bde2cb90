package btrfscsi

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubernetes-csi/csi-test/v5/pkg/sanity"
)

// testPool makes a btrfs file system in a file on a loop device, mounted in
// a temporary directory, and takes it all down after the test: the real
// kernel file system the driver runs on in the test cluster. It needs root
// (a loop device, mounts) and btrfs-progs (`make deps` installs them). As
// another user the tests skip, saying so in the test report's count; CI
// and the test cluster run as root, so there they always run.
func testPool(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the btrfs pool needs root (a loop device, mounts), as the test cluster does")
	}
	dir := t.TempDir()
	img, mnt := filepath.Join(dir, "pool.img"), filepath.Join(dir, "pool")
	run(t, "truncate", "-s", "1G", img)
	dev := strings.TrimSpace(run(t, "losetup", "--find", "--show", img))
	t.Cleanup(func() { _ = exec.Command("losetup", "-d", dev).Run() })
	run(t, "mkfs.btrfs", "-q", dev)
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	run(t, "mount", dev, mnt)
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	return mnt
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v: %s", name, args, err, out)
	}
	return string(out)
}

// serveDriver starts the driver on a pool and returns its socket.
func serveDriver(t *testing.T, pool string) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "csi.sock")
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan struct{}), make(chan error, 1)
	cfg := Config{Name: "btrfs.csi.shipshape.dev", Version: "test", Node: "node-a", Pool: pool, Socket: sock}
	go func() { done <- Serve(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), ready) }()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("the driver did not start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the driver: %v", err)
		}
	})
	return sock
}

// TestDriverPassesTheCSISanitySuite runs the Kubernetes CSI project's own
// conformance tests (csi-test's sanity package) against the driver on a
// real btrfs pool: identity, volumes, snapshots with their listing and
// paging, publishing on the node, each with its error codes.
func TestDriverPassesTheCSISanitySuite(t *testing.T) {
	pool := testPool(t)
	sock := serveDriver(t, pool)
	cfg := sanity.NewTestConfig()
	cfg.Address = sock
	work := t.TempDir()
	cfg.TargetPath = filepath.Join(work, "target")
	cfg.StagingPath = filepath.Join(work, "staging")
	cfg.TestVolumeSize = 64 << 20
	cfg.IdempotentCount = 2
	sanity.Test(t, cfg)
}
