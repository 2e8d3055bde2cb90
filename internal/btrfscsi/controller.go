package btrfscsi

import (
	"context"
	"path/filepath"
	"slices"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// defaultCapacity is a volume's size when the request names none.
const defaultCapacity = 1 << 30

func (d *Driver) ControllerGetCapabilities(context.Context, *csi.ControllerGetCapabilitiesRequest) (*csi.ControllerGetCapabilitiesResponse, error) {
	out := &csi.ControllerGetCapabilitiesResponse{}
	for _, c := range []csi.ControllerServiceCapability_RPC_Type{
		csi.ControllerServiceCapability_RPC_CREATE_DELETE_VOLUME,
		csi.ControllerServiceCapability_RPC_CREATE_DELETE_SNAPSHOT,
		csi.ControllerServiceCapability_RPC_LIST_SNAPSHOTS,
	} {
		out.Capabilities = append(out.Capabilities, &csi.ControllerServiceCapability{
			Type: &csi.ControllerServiceCapability_Rpc{Rpc: &csi.ControllerServiceCapability_RPC{Type: c}},
		})
	}
	return out, nil
}

// CreateVolume makes a subvolume with a quota of the capacity asked for,
// empty or restored from a snapshot. The same name again returns the same
// volume; with other parameters it is AlreadyExists.
func (d *Driver) CreateVolume(ctx context.Context, req *csi.CreateVolumeRequest) (*csi.CreateVolumeResponse, error) {
	if req.GetName() == "" {
		return nil, status.Error(codes.InvalidArgument, "name: required")
	}
	if err := checkCapabilities(req.GetVolumeCapabilities()); err != nil {
		return nil, err
	}
	capacity, err := capacityFor(req.GetCapacityRange())
	if err != nil {
		return nil, err
	}
	if err := d.checkTopology(req.GetAccessibilityRequirements()); err != nil {
		return nil, err
	}
	if req.GetVolumeContentSource().GetVolume() != nil {
		return nil, status.Error(codes.InvalidArgument, "volume_content_source: cloning a volume is not supported, restore a snapshot of it")
	}
	snapshotID := req.GetVolumeContentSource().GetSnapshot().GetSnapshotId()

	d.mu.Lock()
	defer d.mu.Unlock()
	id := idFor("vol", req.GetName())
	var existing volumeRecord
	found, err := d.pool.readRecord("volume", id, &existing)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	if found {
		if !fits(existing.Capacity, req.GetCapacityRange()) || existing.Snapshot != snapshotID {
			return nil, status.Errorf(codes.AlreadyExists, "name: volume %q exists with %d bytes from snapshot %q", req.GetName(), existing.Capacity, existing.Snapshot)
		}
		return d.volumeResponse(existing), nil
	}

	source := ""
	if snapshotID != "" {
		var snap snapshotRecord
		ok, err := d.readSnapshot(snapshotID, &snap)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, status.Errorf(codes.NotFound, "volume_content_source: snapshot %q does not exist", snapshotID)
		}
		if capacity < snap.Size {
			return nil, status.Errorf(codes.OutOfRange, "capacity_range: %d bytes cannot hold snapshot %q of %d bytes", capacity, snapshotID, snap.Size)
		}
		source = filepath.Join(d.pool.snapshots(), snapshotID)
	}
	rec := volumeRecord{ID: id, Name: req.GetName(), Capacity: capacity, Snapshot: snapshotID}
	if err := d.makeVolume(ctx, rec, source); err != nil {
		d.log.Error("creating a volume", "name", rec.Name, "id", id, "err", err)
		return nil, status.Error(codes.Internal, err.Error())
	}
	d.log.Info("volume created", "name", rec.Name, "id", id, "capacity", capacity, "snapshot", snapshotID)
	return d.volumeResponse(rec), nil
}

// makeVolume makes the volume's subvolume, empty or a writable snapshot
// of source, with its quota (pool.place).
func (d *Driver) makeVolume(ctx context.Context, rec volumeRecord, source string) error {
	return d.pool.place(ctx, "volume", d.pool.volumes(), rec.ID, rec, func(tmp string) error {
		var err error
		if source == "" {
			err = d.pool.create(ctx, tmp)
		} else {
			err = d.pool.snapshot(ctx, source, tmp, false)
		}
		if err != nil {
			return err
		}
		return d.pool.limit(ctx, tmp, rec.Capacity)
	})
}

func (d *Driver) volumeResponse(r volumeRecord) *csi.CreateVolumeResponse {
	v := &csi.Volume{
		VolumeId:           r.ID,
		CapacityBytes:      r.Capacity,
		AccessibleTopology: []*csi.Topology{d.topology()},
	}
	if r.Snapshot != "" {
		v.ContentSource = &csi.VolumeContentSource{Type: &csi.VolumeContentSource_Snapshot{
			Snapshot: &csi.VolumeContentSource_SnapshotSource{SnapshotId: r.Snapshot},
		}}
	}
	return &csi.CreateVolumeResponse{Volume: v}
}

// capacityFor picks the volume's size: what is required, else the default
// (within the limit).
func capacityFor(r *csi.CapacityRange) (int64, error) {
	req, limit := r.GetRequiredBytes(), r.GetLimitBytes()
	if req < 0 || limit < 0 {
		return 0, status.Error(codes.OutOfRange, "capacity_range: bytes cannot be negative")
	}
	if limit > 0 && req > limit {
		return 0, status.Errorf(codes.OutOfRange, "capacity_range: required %d bytes is more than the limit %d", req, limit)
	}
	if req > 0 {
		return req, nil
	}
	if limit > 0 && limit < defaultCapacity {
		return limit, nil
	}
	return defaultCapacity, nil
}

func fits(capacity int64, r *csi.CapacityRange) bool {
	return capacity >= r.GetRequiredBytes() && (r.GetLimitBytes() == 0 || capacity <= r.GetLimitBytes())
}

// checkTopology refuses a volume that must be reachable from nodes this
// pool is not on.
func (d *Driver) checkTopology(req *csi.TopologyRequirement) error {
	requisite := req.GetRequisite()
	if len(requisite) == 0 {
		return nil
	}
	if slices.ContainsFunc(requisite, func(t *csi.Topology) bool { return t.GetSegments()[TopologyKey] == d.node }) {
		return nil
	}
	return status.Errorf(codes.ResourceExhausted, "accessibility_requirements: this pool is on node %q, which the requisite topology does not include", d.node)
}

// DeleteVolume removes the subvolume; one that does not exist is deleted
// already. Snapshots of it stay: they are subvolumes of their own.
func (d *Driver) DeleteVolume(ctx context.Context, req *csi.DeleteVolumeRequest) (*csi.DeleteVolumeResponse, error) {
	id := req.GetVolumeId()
	if id == "" {
		return nil, status.Error(codes.InvalidArgument, "volume_id: required")
	}
	if !validID("vol", id) {
		return &csi.DeleteVolumeResponse{}, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.pool.discard(ctx, "volume", d.pool.volumes(), id); err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	d.log.Info("volume deleted", "id", id)
	return &csi.DeleteVolumeResponse{}, nil
}

func (d *Driver) ValidateVolumeCapabilities(_ context.Context, req *csi.ValidateVolumeCapabilitiesRequest) (*csi.ValidateVolumeCapabilitiesResponse, error) {
	if req.GetVolumeId() == "" {
		return nil, status.Error(codes.InvalidArgument, "volume_id: required")
	}
	if len(req.GetVolumeCapabilities()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "volume_capabilities: at least one is required")
	}
	if _, err := d.volume(req.GetVolumeId()); err != nil {
		return nil, err
	}
	if err := checkCapabilities(req.GetVolumeCapabilities()); err != nil {
		return &csi.ValidateVolumeCapabilitiesResponse{Message: status.Convert(err).Message()}, nil
	}
	return &csi.ValidateVolumeCapabilitiesResponse{Confirmed: &csi.ValidateVolumeCapabilitiesResponse_Confirmed{
		VolumeContext:      req.GetVolumeContext(),
		VolumeCapabilities: req.GetVolumeCapabilities(),
		Parameters:         req.GetParameters(),
	}}, nil
}

// volume reads the record of an existing volume: NotFound otherwise.
func (d *Driver) volume(id string) (volumeRecord, error) {
	var r volumeRecord
	if !validID("vol", id) {
		return r, status.Errorf(codes.NotFound, "volume_id: %q is not a volume of this driver", id)
	}
	found, err := d.pool.readRecord("volume", id, &r)
	if err != nil {
		return r, status.Error(codes.Internal, err.Error())
	}
	if !found {
		return r, status.Errorf(codes.NotFound, "volume_id: volume %q does not exist", id)
	}
	return r, nil
}

func (d *Driver) readSnapshot(id string, r *snapshotRecord) (bool, error) {
	if !validID("snap", id) {
		return false, nil
	}
	found, err := d.pool.readRecord("snapshot", id, r)
	if err != nil {
		return false, status.Error(codes.Internal, err.Error())
	}
	return found, nil
}
