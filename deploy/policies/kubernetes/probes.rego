# Every serving container has liveness and readiness probes, and they are
# different checks; a container with an "admin" port (the Go services' /healthz, /readyz and /metrics)
# must probe that port, never the port that serves traffic.
package shipshape.probes

import data.shipshape.lib

handlers := {"httpGet", "grpc", "tcpSocket", "exec"}

serving_containers contains [obj, c] if {
	some obj in lib.workloads
	obj.kind in lib.long_running
	some x in lib.containers(obj)
	not x.init
	c := x.container
}

has_handler(probe) if {
	some h in handlers
	probe[h]
}

deny contains msg if {
	some pair in serving_containers
	[obj, c] := pair
	some probe in ["livenessProbe", "readinessProbe"]
	not has_handler(object.get(c, probe, {}))
	msg := sprintf("%s: container %q: %s is missing", [lib.id(obj), c.name, probe])
}

admin_port(c) := p if {
	some p in object.get(c, "ports", [])
	p.name == "admin"
}

deny contains msg if {
	some pair in serving_containers
	[obj, c] := pair
	port := admin_port(c)
	some probe in ["livenessProbe", "readinessProbe", "startupProbe"]
	c[probe]
	not on_admin_port(c[probe], port)
	msg := sprintf("%s: container %q: %s must use the admin port", [lib.id(obj), c.name, probe])
}

on_admin_port(probe, port) if probe_port(probe) in {"admin", port.containerPort}

probe_port(p) := p.httpGet.port if p.httpGet

probe_port(p) := p.grpc.port if p.grpc

probe_port(p) := p.tcpSocket.port if p.tcpSocket

probe_port(p) := "exec" if p.exec

# Liveness asks whether the process is stuck (the kubelet restarts it),
# readiness whether it should get traffic now. The same check for both
# restarts a container that is merely not ready (a lagging or rebuilding
# database replica, a dependency down), which makes things worse.
deny contains msg if {
	some pair in serving_containers
	[obj, c] := pair
	same_check(c.livenessProbe, c.readinessProbe)
	msg := sprintf("%s: container %q: livenessProbe and readinessProbe are the same check; liveness must only detect a stuck process", [lib.id(obj), c.name])
}

same_check(a, b) if {
	some h in handlers
	a[h]
	a[h] == b[h]
}
