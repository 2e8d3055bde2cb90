package btrfscsi

import (
	"context"
	"log/slog"
	"sync"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// TopologyKey is the segment naming the node whose pool holds a volume.
const TopologyKey = "topology.btrfs.csi.shipshape.dev/node"

// Driver is the CSI plugin: identity, controller and node services of one
// pool on one node.
type Driver struct {
	csi.UnimplementedIdentityServer
	csi.UnimplementedControllerServer
	csi.UnimplementedNodeServer

	name, version, node string
	pool                pool
	log                 *slog.Logger
	// mu serialises every change: the CO retries and runs operations
	// side by side, and a create racing a delete of one name must not
	// interleave their steps.
	mu sync.Mutex
}

// New opens the btrfs pool mounted at root for the driver name on node.
func New(ctx context.Context, name, version, node, root string, log *slog.Logger) (*Driver, error) {
	p, err := openPool(ctx, root)
	if err != nil {
		return nil, err
	}
	return &Driver{name: name, version: version, node: node, pool: p, log: log}, nil
}

func (d *Driver) topology() *csi.Topology {
	return &csi.Topology{Segments: map[string]string{TopologyKey: d.node}}
}

func (d *Driver) GetPluginInfo(context.Context, *csi.GetPluginInfoRequest) (*csi.GetPluginInfoResponse, error) {
	return &csi.GetPluginInfoResponse{Name: d.name, VendorVersion: d.version}, nil
}

func (d *Driver) GetPluginCapabilities(context.Context, *csi.GetPluginCapabilitiesRequest) (*csi.GetPluginCapabilitiesResponse, error) {
	caps := []csi.PluginCapability_Service_Type{
		csi.PluginCapability_Service_CONTROLLER_SERVICE,
		csi.PluginCapability_Service_VOLUME_ACCESSIBILITY_CONSTRAINTS,
	}
	out := &csi.GetPluginCapabilitiesResponse{}
	for _, c := range caps {
		out.Capabilities = append(out.Capabilities, &csi.PluginCapability{
			Type: &csi.PluginCapability_Service_{Service: &csi.PluginCapability_Service{Type: c}},
		})
	}
	return out, nil
}

// Probe answers ready once New opened the pool: there is nothing that
// becomes ready later.
func (d *Driver) Probe(context.Context, *csi.ProbeRequest) (*csi.ProbeResponse, error) {
	return &csi.ProbeResponse{Ready: wrapperspb.Bool(true)}, nil
}
