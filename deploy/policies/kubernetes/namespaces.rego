# Pod Security Admission: every namespace enforces, audits and warns at the
# "restricted" level, and every namespace a workload runs in is declared in
# the manifests, so that its labels are checked here.
package shipshape.namespaces

import data.shipshape.lib

modes := ["enforce", "audit", "warn"]

deny contains msg if {
	some ns in lib.objects
	ns.kind == "Namespace"
	some mode in modes
	not object.get(ns.metadata, ["labels", sprintf("pod-security.kubernetes.io/%s", [mode])], "") == "restricted"
	msg := sprintf("%s: label pod-security.kubernetes.io/%s must be restricted", [lib.id(ns), mode])
}

declared contains name if {
	some ns in lib.objects
	ns.kind == "Namespace"
	name := ns.metadata.name
}

deny contains msg if {
	some obj in lib.workloads
	ns := lib.namespace_of(obj)
	not ns in declared
	msg := sprintf("%s: its namespace %s is not declared in the manifests, so its Pod Security labels are unchecked", [lib.id(obj), ns])
}
