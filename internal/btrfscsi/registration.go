package btrfscsi

import (
	"context"

	registration "k8s.io/kubelet/pkg/apis/pluginregistration/v1"
)

// registrar answers the kubelet's plugin watcher, which finds its socket
// in the plugins registry directory: this is the node-driver-registrar's
// job, done by the driver itself.
type registrar struct {
	registration.UnimplementedRegistrationServer
	d        *Driver
	endpoint string
	// registered receives the kubelet's verdict.
	registered chan<- error
}

func (r *registrar) GetInfo(context.Context, *registration.InfoRequest) (*registration.PluginInfo, error) {
	return &registration.PluginInfo{
		Type:              registration.CSIPlugin,
		Name:              r.d.name,
		Endpoint:          r.endpoint,
		SupportedVersions: []string{"1.0.0"},
	}, nil
}

func (r *registrar) NotifyRegistrationStatus(_ context.Context, s *registration.RegistrationStatus) (*registration.RegistrationStatusResponse, error) {
	var err error
	if !s.GetPluginRegistered() {
		err = errRegistration(s.GetError())
	}
	select {
	case r.registered <- err:
	default:
	}
	return &registration.RegistrationStatusResponse{}, nil
}

type errRegistration string

func (e errRegistration) Error() string { return "the kubelet refused the registration: " + string(e) }
