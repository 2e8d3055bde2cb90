# Every container, init containers included, requests and limits CPU,
# memory and ephemeral storage, and never requests more than its limit.
# Ephemeral storage is the writable layer, the logs and disk-backed
# emptyDirs: without a limit one pod can fill the node's disk and get every
# pod on it evicted; without a request the scheduler ignores it.
package shipshape.resources

import data.shipshape.lib

resources := ["cpu", "memory", "ephemeral-storage"]

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	some kind in ["requests", "limits"]
	some resource in resources
	not x.container.resources[kind][resource]
	msg := sprintf("%s: container %q: resources.%s.%s is missing", [lib.id(obj), x.container.name, kind, resource])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	some resource in resources
	request := units.parse(format_int_or_string(x.container.resources.requests[resource]))
	limit := units.parse(format_int_or_string(x.container.resources.limits[resource]))
	request > limit
	msg := sprintf("%s: container %q: %s request is above its limit", [lib.id(obj), x.container.name, resource])
}

format_int_or_string(v) := v if is_string(v)

format_int_or_string(v) := sprintf("%v", [v]) if is_number(v)
