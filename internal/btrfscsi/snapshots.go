package btrfscsi

import (
	"context"
	"path/filepath"
	"strconv"
	"time"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// CreateSnapshot takes a read-only btrfs snapshot of the volume: atomic,
// so it is ready to use as soon as it exists. Its size is the volume's
// capacity, the least a volume restored from it must have.
func (d *Driver) CreateSnapshot(ctx context.Context, req *csi.CreateSnapshotRequest) (*csi.CreateSnapshotResponse, error) {
	if req.GetName() == "" {
		return nil, status.Error(codes.InvalidArgument, "name: required")
	}
	if req.GetSourceVolumeId() == "" {
		return nil, status.Error(codes.InvalidArgument, "source_volume_id: required")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	id := idFor("snap", req.GetName())
	var existing snapshotRecord
	found, err := d.pool.readRecord("snapshot", id, &existing)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	if found {
		if existing.Source != req.GetSourceVolumeId() {
			return nil, status.Errorf(codes.AlreadyExists, "name: snapshot %q exists of volume %q", req.GetName(), existing.Source)
		}
		return &csi.CreateSnapshotResponse{Snapshot: snapshotMessage(existing)}, nil
	}
	vol, err := d.volume(req.GetSourceVolumeId())
	if err != nil {
		return nil, err
	}
	rec := snapshotRecord{ID: id, Name: req.GetName(), Source: vol.ID, Size: vol.Capacity}
	if err := d.makeSnapshot(ctx, &rec); err != nil {
		d.log.Error("taking a snapshot", "name", rec.Name, "id", id, "volume", vol.ID, "err", err)
		return nil, status.Error(codes.Internal, err.Error())
	}
	d.log.Info("snapshot taken", "name", rec.Name, "id", id, "volume", vol.ID)
	return &csi.CreateSnapshotResponse{Snapshot: snapshotMessage(rec)}, nil
}

// makeSnapshot takes the read-only snapshot of the source volume
// (pool.place).
func (d *Driver) makeSnapshot(ctx context.Context, rec *snapshotRecord) error {
	rec.Created = time.Now().UTC()
	return d.pool.place(ctx, "snapshot", d.pool.snapshots(), rec.ID, rec, func(tmp string) error {
		return d.pool.snapshot(ctx, filepath.Join(d.pool.volumes(), rec.Source), tmp, true)
	})
}

func (d *Driver) DeleteSnapshot(ctx context.Context, req *csi.DeleteSnapshotRequest) (*csi.DeleteSnapshotResponse, error) {
	id := req.GetSnapshotId()
	if id == "" {
		return nil, status.Error(codes.InvalidArgument, "snapshot_id: required")
	}
	if !validID("snap", id) {
		return &csi.DeleteSnapshotResponse{}, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.pool.discard(ctx, "snapshot", d.pool.snapshots(), id); err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	d.log.Info("snapshot deleted", "id", id)
	return &csi.DeleteSnapshotResponse{}, nil
}

// ListSnapshots pages through the snapshots oldest first; a page's token
// is the position of its first entry.
func (d *Driver) ListSnapshots(_ context.Context, req *csi.ListSnapshotsRequest) (*csi.ListSnapshotsResponse, error) {
	if req.GetMaxEntries() < 0 {
		return nil, status.Error(codes.InvalidArgument, "max_entries: cannot be negative")
	}
	d.mu.Lock()
	all, err := d.pool.snapshotRecords()
	d.mu.Unlock()
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	var matching []snapshotRecord
	for _, r := range all {
		if (req.GetSnapshotId() == "" || r.ID == req.GetSnapshotId()) &&
			(req.GetSourceVolumeId() == "" || r.Source == req.GetSourceVolumeId()) {
			matching = append(matching, r)
		}
	}
	start := 0
	if tok := req.GetStartingToken(); tok != "" {
		start, err = strconv.Atoi(tok)
		if err != nil || start < 0 || start > len(matching) {
			return nil, status.Errorf(codes.Aborted, "starting_token: %q is not a position in the list", tok)
		}
	}
	end := len(matching)
	if n := int(req.GetMaxEntries()); n > 0 && start+n < end {
		end = start + n
	}
	out := &csi.ListSnapshotsResponse{}
	for _, r := range matching[start:end] {
		out.Entries = append(out.Entries, &csi.ListSnapshotsResponse_Entry{Snapshot: snapshotMessage(r)})
	}
	if end < len(matching) {
		out.NextToken = strconv.Itoa(end)
	}
	return out, nil
}

func snapshotMessage(r snapshotRecord) *csi.Snapshot {
	return &csi.Snapshot{
		SnapshotId:     r.ID,
		SourceVolumeId: r.Source,
		SizeBytes:      r.Size,
		CreationTime:   timestamppb.New(r.Created),
		ReadyToUse:     true,
	}
}
