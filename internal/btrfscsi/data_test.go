package btrfscsi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var mountRW = []*csi.VolumeCapability{{
	AccessType: &csi.VolumeCapability_Mount{Mount: &csi.VolumeCapability_MountVolume{}},
	AccessMode: &csi.VolumeCapability_AccessMode{Mode: csi.VolumeCapability_AccessMode_SINGLE_NODE_WRITER},
}}

func newDriver(t *testing.T) *Driver {
	t.Helper()
	d, err := New(context.Background(), "btrfs.csi.shipshape.dev", "test", "node-a", testPool(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func publish(t *testing.T, d *Driver, volumeID string) string {
	t.Helper()
	target := filepath.Join(t.TempDir(), "mnt")
	ctx := context.Background()
	if _, err := d.NodePublishVolume(ctx, &csi.NodePublishVolumeRequest{VolumeId: volumeID, TargetPath: target, VolumeCapability: mountRW[0]}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := d.NodeUnpublishVolume(ctx, &csi.NodeUnpublishVolumeRequest{VolumeId: volumeID, TargetPath: target}); err != nil {
			t.Error(err)
		}
	})
	return target
}

// A snapshot holds the volume as it was when it was taken, and a volume
// restored from it holds exactly that, while the source goes on changing.
func TestASnapshotKeepsTheVolumeAsItWasAndRestoresIt(t *testing.T) {
	d, ctx := newDriver(t), context.Background()
	vol, err := d.CreateVolume(ctx, &csi.CreateVolumeRequest{Name: "pvc-1", VolumeCapabilities: mountRW, CapacityRange: &csi.CapacityRange{RequiredBytes: 64 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	id := vol.GetVolume().GetVolumeId()
	if got := vol.GetVolume().GetAccessibleTopology()[0].GetSegments()[TopologyKey]; got != "node-a" {
		t.Errorf("topology: got node %q, want node-a", got)
	}
	dir := publish(t, d, id)
	write(t, filepath.Join(dir, "row"), "before")
	snap, err := d.CreateSnapshot(ctx, &csi.CreateSnapshotRequest{Name: "snapshot-1", SourceVolumeId: id})
	if err != nil {
		t.Fatal(err)
	}
	if !snap.GetSnapshot().GetReadyToUse() || snap.GetSnapshot().GetSizeBytes() != 64<<20 {
		t.Errorf("snapshot: ready %v, %d bytes; want ready, the volume's 64 MiB", snap.GetSnapshot().GetReadyToUse(), snap.GetSnapshot().GetSizeBytes())
	}
	write(t, filepath.Join(dir, "row"), "after")

	small := &csi.CreateVolumeRequest{Name: "pvc-too-small", VolumeCapabilities: mountRW, CapacityRange: &csi.CapacityRange{RequiredBytes: 1 << 20},
		VolumeContentSource: &csi.VolumeContentSource{Type: &csi.VolumeContentSource_Snapshot{Snapshot: &csi.VolumeContentSource_SnapshotSource{SnapshotId: snap.GetSnapshot().GetSnapshotId()}}}}
	if _, err := d.CreateVolume(ctx, small); status.Code(err) != codes.OutOfRange {
		t.Errorf("a volume smaller than the snapshot: got %v, want OutOfRange", err)
	}
	restoreReq := &csi.CreateVolumeRequest{Name: "pvc-2", VolumeCapabilities: mountRW, CapacityRange: &csi.CapacityRange{RequiredBytes: 64 << 20},
		VolumeContentSource: small.VolumeContentSource}
	restored, err := d.CreateVolume(ctx, restoreReq)
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(publish(t, d, restored.GetVolume().GetVolumeId()), "row")); got != "before" {
		t.Errorf("the restored volume holds %q, want %q (the data at the snapshot)", got, "before")
	}
	if got := read(t, filepath.Join(dir, "row")); got != "after" {
		t.Errorf("the source volume holds %q after the restore, want %q", got, "after")
	}
}

// The capacity is a quota: a volume cannot hold more than it was given.
func TestAVolumeHoldsNoMoreThanItsCapacity(t *testing.T) {
	d, ctx := newDriver(t), context.Background()
	vol, err := d.CreateVolume(ctx, &csi.CreateVolumeRequest{Name: "pvc-small", VolumeCapabilities: mountRW, CapacityRange: &csi.CapacityRange{RequiredBytes: 8 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(publish(t, d, vol.GetVolume().GetVolumeId()), "fill"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := bytes.Repeat([]byte{1}, 1<<20)
	for i := 0; i < 32; i++ {
		if _, err = f.Write(chunk); err == nil {
			err = f.Sync()
		}
		if err != nil {
			break
		}
	}
	if !errors.Is(err, syscall.EDQUOT) && !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("32 MiB into an 8 MiB volume: got %v, want EDQUOT", err)
	}
}

// What a create that crashed half-way left (a subvolume without a record)
// does not stop the retry, and a request's ID never names a path outside
// the pool.
func TestARetriedCreateReplacesWhatACrashLeftAndForeignIDsAreRefused(t *testing.T) {
	d, ctx := newDriver(t), context.Background()
	id := idFor("vol", "pvc-crashed")
	for _, p := range []string{filepath.Join(d.pool.volumes(), ".new-"+id), filepath.Join(d.pool.volumes(), id)} {
		if err := d.pool.create(ctx, p); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(p, "stale"), "x")
	}
	vol, err := d.CreateVolume(ctx, &csi.CreateVolumeRequest{Name: "pvc-crashed", VolumeCapabilities: mountRW})
	if err != nil {
		t.Fatal(err)
	}
	if vol.GetVolume().GetVolumeId() != id {
		t.Fatalf("got volume %s, want %s", vol.GetVolume().GetVolumeId(), id)
	}
	if _, err := os.Stat(filepath.Join(d.pool.volumes(), id, "stale")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the retried volume still holds the crashed attempt's file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(d.pool.volumes(), ".new-"+id)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the crashed attempt's temporary subvolume is still there: %v", err)
	}
	for _, foreign := range []string{"../meta", "vol-../../etc", "vol-" + id[4:] + "/..", ""} {
		_, err := d.NodePublishVolume(ctx, &csi.NodePublishVolumeRequest{VolumeId: foreign, TargetPath: t.TempDir(), VolumeCapability: mountRW[0]})
		if c := status.Code(err); c != codes.NotFound && c != codes.InvalidArgument {
			t.Errorf("publishing volume %q: got %v, want NotFound or InvalidArgument", foreign, err)
		}
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
