# The fault switch of release tests (FAULT_ERROR_RATIO, internal/platform/
# fault) makes a version fail a share of its calls on purpose, so that a
# canary's analysis has a real failure to catch. Development and the test
# cluster may turn it on; staging and production may not, neither in a
# container's environment nor in a ConfigMap its containers read.
package shipshape.release

import data.shipshape.lib

fault_switch := "FAULT_ERROR_RATIO"

controlled_environment(obj) if lib.environment(obj) in {"staging", "production"}

deny contains msg if {
	some obj in lib.workloads
	controlled_environment(obj)
	some x in lib.containers(obj)
	some e in object.get(x.container, "env", [])
	e.name == fault_switch
	msg := sprintf("%s: container %q: sets %s, the fault switch of release tests, which staging and production never turn on", [lib.id(obj), x.container.name, fault_switch])
}

deny contains msg if {
	some obj in lib.objects
	obj.kind == "ConfigMap"
	controlled_environment(obj)
	fault_switch in object.keys(object.get(obj, "data", {}))
	msg := sprintf("%s: sets %s, the fault switch of release tests, which staging and production never turn on", [lib.id(obj), fault_switch])
}
