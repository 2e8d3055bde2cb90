package manifestcheck

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
)

// Endpoint is a pod (or, with no Namespace, an address outside the
// cluster) as NetworkPolicy sees it.
type Endpoint struct {
	Name            string // for messages
	Namespace       string
	NamespaceLabels map[string]string
	Labels          map[string]string
	// Ports maps the pod's named ports to numbers ("admin" -> 9091), for
	// policies that name a port.
	Ports map[string]int
	// IP is an outside address's, which ipBlock peers match.
	IP string
}

// Connection is a TCP or UDP connection attempt to a destination port.
type Connection struct {
	From, To Endpoint
	Port     int
	Protocol string // TCP or UDP
}

func (c Connection) String() string {
	return fmt.Sprintf("%s -> %s:%d/%s", c.From.Name, c.To.Name, c.Port, c.Protocol)
}

// NetworkAllowed evaluates Kubernetes NetworkPolicy semantics for one
// connection: the source's egress policies and the destination's ingress
// policies must both allow it. A pod no policy selects for a direction is
// open in that direction; once selected, only what some rule allows
// passes. ipBlock peers match outside addresses only: whether a pod's IP
// matches one is up to the network plugin, so no pod path may rely on it.
func NetworkAllowed(policies []Object, c Connection) bool {
	return directionAllows(policies, c, "Egress") && directionAllows(policies, c, "Ingress")
}

func directionAllows(policies []Object, c Connection, direction string) bool {
	self, peer := c.From, c.To
	rulesKey, peersKey := "egress", "to"
	if direction == "Ingress" {
		self, peer = c.To, c.From
		rulesKey, peersKey = "ingress", "from"
	}
	if self.Namespace == "" {
		return true // not a pod: no policy applies to it
	}
	selected := false
	for _, p := range policies {
		if p.Namespace() != self.Namespace || !PolicyTypes(p)[direction] {
			continue
		}
		if !LabelSelectorMatches(p.Map("spec", "podSelector"), self.Labels) {
			continue
		}
		selected = true
		for _, raw := range p.List("spec", rulesKey) {
			rule := Object(raw.(map[string]any))
			if peersMatch(rule.List(peersKey), p.Namespace(), peer) && portsMatch(rule.List("ports"), c) {
				return true
			}
		}
	}
	return !selected
}

// PolicyTypes defaults as the API server does: Ingress always, Egress when
// the policy has egress rules.
func PolicyTypes(p Object) map[string]bool {
	types := map[string]bool{}
	list := p.List("spec", "policyTypes")
	for _, t := range list {
		types[t.(string)] = true
	}
	if len(list) == 0 {
		types["Ingress"] = true
		if len(p.List("spec", "egress")) > 0 {
			types["Egress"] = true
		}
	}
	return types
}

func peersMatch(peers []any, policyNamespace string, e Endpoint) bool {
	if len(peers) == 0 {
		return true // no from/to: every peer
	}
	for _, raw := range peers {
		peer := Object(raw.(map[string]any))
		if block, ok := peer["ipBlock"].(map[string]any); ok {
			if e.Namespace == "" && ipBlockMatches(block, e.IP) {
				return true
			}
			continue
		}
		if e.Namespace == "" {
			continue
		}
		nsSel, hasNS := peer["namespaceSelector"]
		podSel, hasPod := peer["podSelector"]
		if hasNS {
			m, _ := nsSel.(map[string]any)
			if !LabelSelectorMatches(m, e.NamespaceLabels) {
				continue
			}
		} else if e.Namespace != policyNamespace {
			continue // a bare podSelector means the policy's own namespace
		}
		if hasPod {
			m, _ := podSel.(map[string]any)
			if !LabelSelectorMatches(m, e.Labels) {
				continue
			}
		}
		return true
	}
	return false
}

func portsMatch(ports []any, c Connection) bool {
	if len(ports) == 0 {
		return true
	}
	for _, raw := range ports {
		p := Object(raw.(map[string]any))
		proto := p.Str("protocol")
		if proto == "" {
			proto = "TCP"
		}
		if proto != c.Protocol {
			continue
		}
		switch v := p.Get("port").(type) {
		case nil:
			return true
		case int:
			end, ok := p.Int("endPort")
			if !ok {
				end = v
			}
			if c.Port >= v && c.Port <= end {
				return true
			}
		case string:
			if n, err := strconv.Atoi(v); err == nil && n == c.Port {
				return true
			}
			if n, ok := c.To.Ports[v]; ok && n == c.Port {
				return true
			}
		}
	}
	return false
}

// LabelSelectorMatches implements metav1.LabelSelector; an empty selector
// matches everything.
func LabelSelectorMatches(sel map[string]any, labels map[string]string) bool {
	for k, v := range sel {
		switch k {
		case "matchLabels":
			for lk, lv := range v.(map[string]any) {
				if labels[lk] != lv {
					return false
				}
			}
		case "matchExpressions":
			for _, raw := range v.([]any) {
				expr := Object(raw.(map[string]any))
				key := expr.Str("key")
				val, has := labels[key]
				var values []string
				for _, x := range expr.List("values") {
					values = append(values, x.(string))
				}
				switch expr.Str("operator") {
				case "In":
					if !has || !slices.Contains(values, val) {
						return false
					}
				case "NotIn":
					if has && slices.Contains(values, val) {
						return false
					}
				case "Exists":
					if !has {
						return false
					}
				case "DoesNotExist":
					if has {
						return false
					}
				default:
					return false
				}
			}
		}
	}
	return true
}

// WorkloadEndpoint describes the pods of a rendered workload.
func WorkloadEndpoint(w Object, namespaceLabels map[string]string) Endpoint {
	e := Endpoint{Name: w.Name(), Namespace: w.Namespace(), NamespaceLabels: namespaceLabels,
		Labels: map[string]string{}, Ports: map[string]int{}}
	for k, v := range w.PodTemplate().Map("metadata", "labels") {
		e.Labels[k] = fmt.Sprint(v)
	}
	for _, c := range w.Containers() {
		for _, raw := range c.List("ports") {
			p := Object(raw.(map[string]any))
			if n, ok := p.Int("containerPort"); ok {
				e.Ports[p.Str("name")] = n
			}
		}
	}
	return e
}

// ipBlockMatches: ip is inside the block's cidr and outside its exceptions.
func ipBlockMatches(block map[string]any, ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	inside := func(cidr any) bool {
		s, _ := cidr.(string)
		p, err := netip.ParsePrefix(s)
		return err == nil && p.Contains(addr)
	}
	if !inside(block["cidr"]) {
		return false
	}
	except, _ := block["except"].([]any)
	return !slices.ContainsFunc(except, inside)
}
