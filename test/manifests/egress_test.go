package manifests_test

import (
	"fmt"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// outsideEgress is where each environment's Kubernetes API server and S3
// backup repository are ("cidr port"), as its overlay's
// patches/egress-*.yaml set them; the test cluster's are its node address
// and the kubernetes Service, and the S3 store on the node address
// (test/cluster/lib.sh).
// Development has no network policies.
var outsideEgress = map[string]struct{ apiServer, backups []string }{
	"staging":      {[]string{"10.1.0.0/16 443/TCP"}, []string{"10.1.0.0/16 443/TCP"}},
	"production":   {[]string{"10.0.0.0/16 443/TCP"}, []string{"10.0.0.0/16 443/TCP"}},
	"test-cluster": {[]string{"10.250.0.1/32 6443/TCP", "10.96.0.1/32 443/TCP"}, []string{"10.250.0.1/32 9443/TCP"}},
}

// TestEgressOutsideTheCluster: per overlay, the only ipBlock egress the
// rendered policies give any pod is the PostgreSQL members' to the API
// server and the backup repository and the snapshot job's to the API
// server, exactly at that environment's addresses; evaluated, the first and
// last address of each block pass on its port and fail on another, the
// addresses around a block and one on the internet fail.
func TestEgressOutsideTheCluster(t *testing.T) {
	if got := slices.Sorted(maps.Keys(outsideEgress)); !slices.Equal(got, slices.Sorted(slices.Values(policyOverlays))) {
		t.Fatalf("outsideEgress covers %v, the overlays with network policies are %v", got, policyOverlays)
	}
	for _, overlay := range policyOverlays {
		t.Run(overlay, func(t *testing.T) {
			_, objs := render(t, overlay)
			policies := manifestcheck.OfKind(objs, "NetworkPolicy")
			ns := map[string]string{"kubernetes.io/metadata.name": "shipshape"}
			want := map[string][]string{
				"postgres":          slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(outsideEgress[overlay].apiServer), outsideEgress[overlay].backups...)))),
				"postgres-snapshot": slices.Sorted(slices.Values(outsideEgress[overlay].apiServer)),
			}
			pods := []manifestcheck.Endpoint{{Name: "debug", Namespace: "shipshape", NamespaceLabels: ns,
				Labels: map[string]string{"app.kubernetes.io/name": "debug"}}}
			for _, o := range objs {
				if o.PodTemplate() != nil {
					pods = append(pods, manifestcheck.WorkloadEndpoint(o, ns))
				}
			}
			for _, pod := range pods {
				if got := EgressBlocks(policies, pod); !slices.Equal(got, want[pod.Name]) {
					t.Errorf("%s: ipBlock egress %q, want %q", pod.Name, got, want[pod.Name])
				}
			}
			for name, blocks := range want {
				i := slices.IndexFunc(pods, func(e manifestcheck.Endpoint) bool { return e.Name == name })
				if i < 0 {
					t.Fatalf("no workload %s", name)
				}
				checkBlocksEvaluated(t, policies, pods[i], blocks)
			}
		})
	}
}

// checkBlocksEvaluated asks the evaluator about concrete connections from
// pod: into each block on its port (allowed), on port 80 (refused), just
// outside each block (refused unless another block allows it) and to the
// internet (refused).
func checkBlocksEvaluated(t *testing.T, policies []manifestcheck.Object, pod manifestcheck.Endpoint, blocks []string) {
	t.Helper()
	parsed := make([]struct {
		prefix netip.Prefix
		port   int
	}, len(blocks))
	for i, b := range blocks {
		cidr, port, _ := strings.Cut(strings.TrimSuffix(b, "/TCP"), " ")
		prefix, err := netip.ParsePrefix(cidr)
		if err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		parsed[i].prefix = prefix
		if parsed[i].port, err = strconv.Atoi(port); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
	}
	inBlocks := func(addr netip.Addr, port int) bool {
		return slices.ContainsFunc(parsed, func(b struct {
			prefix netip.Prefix
			port   int
		}) bool {
			return b.prefix.Contains(addr) && b.port == port
		})
	}
	check := func(addr netip.Addr, port int, want bool) {
		c := manifestcheck.Connection{From: pod, To: manifestcheck.Endpoint{Name: addr.String(), IP: addr.String()}, Port: port, Protocol: "TCP"}
		if got := manifestcheck.NetworkAllowed(policies, c); got != want {
			t.Errorf("%s: allowed=%v, want %v", c, got, want)
		}
	}
	for _, b := range parsed {
		first, last := b.prefix.Masked().Addr(), lastAddr(b.prefix)
		check(first, b.port, true)
		check(last, b.port, true)
		check(first, 80, false)
		for _, around := range []netip.Addr{first.Prev(), last.Next()} {
			check(around, b.port, inBlocks(around, b.port))
		}
	}
	check(netip.MustParseAddr("203.0.113.10"), 443, false)
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	for i := p.Bits(); i < 32; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	return netip.AddrFrom4(b)
}

// EgressBlocks lists what the policies selecting pod allow it to reach by
// ipBlock, as sorted "cidr port/protocol" strings ("cidr any" for a rule
// without ports, "cidr except ..." with exceptions).
func EgressBlocks(policies []manifestcheck.Object, pod manifestcheck.Endpoint) []string {
	var out []string
	for _, p := range policies {
		if p.Namespace() != pod.Namespace || !manifestcheck.PolicyTypes(p)["Egress"] ||
			!manifestcheck.LabelSelectorMatches(p.Map("spec", "podSelector"), pod.Labels) {
			continue
		}
		for _, raw := range p.List("spec", "egress") {
			rule := manifestcheck.Object(raw.(map[string]any))
			for _, peer := range rule.List("to") {
				block := manifestcheck.Object(peer.(map[string]any)).Map("ipBlock")
				if block == nil {
					continue
				}
				cidr := fmt.Sprint(block["cidr"])
				if except, _ := block["except"].([]any); len(except) > 0 {
					cidr += " except " + strings.Trim(fmt.Sprint(except), "[]")
				}
				ports := rule.List("ports")
				if len(ports) == 0 {
					out = append(out, cidr+" any")
				}
				for _, raw := range ports {
					port := manifestcheck.Object(raw.(map[string]any))
					protocol := port.Str("protocol")
					if protocol == "" {
						protocol = "TCP"
					}
					out = append(out, fmt.Sprintf("%s %v/%s", cidr, port.Get("port"), protocol))
				}
			}
		}
	}
	return slices.Compact(slices.Sorted(slices.Values(out)))
}
