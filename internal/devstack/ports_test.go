package devstack

import (
	"slices"
	"testing"
)

func TestFixedPortsListEveryListener(t *testing.T) {
	got := FixedPorts(Services)
	if got[0] != GatewayPort {
		t.Errorf("first port %d, want the public API's %d", got[0], GatewayPort)
	}
	if len(got) != 1+3*len(Services) {
		t.Fatalf("%d ports for %d services, want the gateway's and three per service: %v", len(got), len(Services), got)
	}
	for _, s := range Services {
		for _, p := range []int{s.REST, s.GRPC, s.Admin} {
			if !slices.Contains(got, p) {
				t.Errorf("%s's port %d missing from %v", s.Name, p, got)
			}
		}
	}
	seen := map[int]bool{}
	for _, p := range append(got, WebPort) {
		if seen[p] {
			t.Errorf("port %d used twice", p)
		}
		seen[p] = true
	}
}
