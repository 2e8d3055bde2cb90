# Every container, init containers included, requests and limits CPU and
# memory, and never requests more memory than its limit.
package shipshape.resources

import data.shipshape.lib

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	some kind in ["requests", "limits"]
	some resource in ["cpu", "memory"]
	not x.container.resources[kind][resource]
	msg := sprintf("%s: container %q: resources.%s.%s is missing", [lib.id(obj), x.container.name, kind, resource])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	some resource in ["cpu", "memory"]
	request := units.parse(format_int_or_string(x.container.resources.requests[resource]))
	limit := units.parse(format_int_or_string(x.container.resources.limits[resource]))
	request > limit
	msg := sprintf("%s: container %q: %s request is above its limit", [lib.id(obj), x.container.name, resource])
}

format_int_or_string(v) := v if is_string(v)

format_int_or_string(v) := sprintf("%v", [v]) if is_number(v)
