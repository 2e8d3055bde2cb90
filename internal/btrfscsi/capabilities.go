package btrfscsi

import (
	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// checkCapabilities refuses what a subvolume on one node cannot be: a raw
// block device, or a volume that several nodes use.
func checkCapabilities(caps []*csi.VolumeCapability) error {
	if len(caps) == 0 {
		return status.Error(codes.InvalidArgument, "volume_capabilities: at least one is required")
	}
	for _, c := range caps {
		if err := checkCapability(c); err != nil {
			return err
		}
	}
	return nil
}

func checkCapability(c *csi.VolumeCapability) error {
	if c == nil {
		return status.Error(codes.InvalidArgument, "volume_capability: required")
	}
	if c.GetBlock() != nil {
		return status.Error(codes.InvalidArgument, "volume_capability: block access is not supported, only a file system")
	}
	if c.GetMount() == nil {
		return status.Error(codes.InvalidArgument, "volume_capability: access_type mount is required")
	}
	if fs := c.GetMount().GetFsType(); fs != "" && fs != "btrfs" {
		return status.Errorf(codes.InvalidArgument, "volume_capability: fs_type %q: volumes are btrfs subvolumes", fs)
	}
	switch m := c.GetAccessMode().GetMode(); m {
	case csi.VolumeCapability_AccessMode_SINGLE_NODE_WRITER,
		csi.VolumeCapability_AccessMode_SINGLE_NODE_READER_ONLY,
		csi.VolumeCapability_AccessMode_SINGLE_NODE_SINGLE_WRITER,
		csi.VolumeCapability_AccessMode_SINGLE_NODE_MULTI_WRITER:
		return nil
	default:
		return status.Errorf(codes.InvalidArgument, "volume_capability: access mode %s: volumes live on one node", m)
	}
}
