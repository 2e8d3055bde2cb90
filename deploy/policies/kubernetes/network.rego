# Outside development, every namespace with workloads denies all ingress and
# egress by default, and every workload has explicit allows: egress (at
# least DNS) for every pod, ingress for every pod that declares a port.
# Egress never goes to every address. Who may talk to whom is tested in
# test/manifests (network paths).
package shipshape.network

import data.shipshape.lib

policies contains p if {
	some p in lib.objects
	p.kind == "NetworkPolicy"
}

default_deny(p) if {
	count(object.get(p.spec, "podSelector", {})) == 0
	{"Ingress", "Egress"} == {t | some t in p.spec.policyTypes}
	count(object.get(p.spec, "ingress", [])) == 0
	count(object.get(p.spec, "egress", [])) == 0
}

allows(p, direction, obj) if {
	lib.namespace_of(p) == lib.namespace_of(obj)
	lib.selects(p.spec.podSelector, lib.pod_labels(obj))
	count(object.get(p.spec, direction, [])) > 0
}

deny contains msg if {
	some obj in lib.workloads
	not lib.development(obj)
	ns := lib.namespace_of(obj)
	not namespace_denies_by_default(ns)
	msg := sprintf("%s: namespace %s has no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)", [lib.id(obj), ns])
}

namespace_denies_by_default(ns) if {
	some p in policies
	lib.namespace_of(p) == ns
	default_deny(p)
}

deny contains msg if {
	some obj in lib.workloads
	not lib.development(obj)
	not some_policy_allows(obj, "egress")
	msg := sprintf("%s: no NetworkPolicy allows egress from its pods (not even DNS)", [lib.id(obj)])
}

deny contains msg if {
	some obj in lib.workloads
	not lib.development(obj)
	declares_ports(obj)
	not some_policy_allows(obj, "ingress")
	msg := sprintf("%s: declares ports but no NetworkPolicy allows ingress to its pods", [lib.id(obj)])
}

some_policy_allows(obj, direction) if {
	some p in policies
	allows(p, direction, obj)
}

declares_ports(obj) if {
	some x in lib.containers(obj)
	not x.init
	count(object.get(x.container, "ports", [])) > 0
}

# Egress to every address (0.0.0.0/0 or ::/0, with or without exceptions)
# undoes the default deny for what leaves the cluster: a compromised pod
# could send its data anywhere. Name the destinations' addresses (the API
# server's, the backup endpoint's) per environment.
deny contains msg if {
	some p in policies
	some i, rule in object.get(p.spec, "egress", [])
	some peer in object.get(rule, "to", [])
	endswith(peer.ipBlock.cidr, "/0")
	msg := sprintf("%s: egress rule %d allows every address (%s); name the destination's addresses", [lib.id(p), i, peer.ipBlock.cidr])
}
